using Berth.Domain;

namespace Berth.Hosting;

/// <summary>Builds the client-facing registry addresses (repositoryUri, proxyEndpoint) from --public-url.</summary>
public sealed class RegistryAddress(BerthOptions options)
{
    private readonly string _template = options.PublicUrl.TrimEnd('/');

    /// <summary>The registry endpoint with scheme, e.g. http://127.0.0.1:5000 (ECR's proxyEndpoint).</summary>
    public string ProxyEndpoint(RegistryScope scope) =>
        _template.Replace("{account}", scope.AccountId, StringComparison.Ordinal).Replace("{region}", scope.Region, StringComparison.Ordinal);

    /// <summary>host[:port]/name, as docker and skopeo take it (ECR's repositoryUri).</summary>
    public string RepositoryUri(RepositoryKey key)
    {
        var endpoint = ProxyEndpoint(key.Scope);
        var schemeEnd = endpoint.IndexOf("://", StringComparison.Ordinal);
        var host = schemeEnd < 0 ? endpoint : endpoint[(schemeEnd + 3)..];
        return $"{host}/{key.Name}";
    }
}
