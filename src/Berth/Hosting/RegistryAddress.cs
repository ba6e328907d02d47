using System.Text.RegularExpressions;
using Berth.Domain;

namespace Berth.Hosting;

/// <summary>
/// Builds the client-facing registry addresses (repositoryUri, proxyEndpoint) from --public-url, and reads back which
/// registry a /v2/ request addresses: when the public URL's host holds <c>{account}</c> (ECR's
/// <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.&lt;domain&gt;</c>), the Host header names the account, so a caller can
/// reach another account's repositories with its own token, as on ECR.
/// </summary>
public sealed class RegistryAddress(BerthOptions options)
{
    private readonly string _template = options.PublicUrl.TrimEnd('/');
    private readonly Regex? _host = HostPattern(options.PublicUrl.TrimEnd('/'));

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

    /// <summary>
    /// The registry the Host header <paramref name="host"/> (host[:port]) names, or <paramref name="fallback"/> (the
    /// caller's own) when the public URL holds no <c>{account}</c> or the host does not match it. A host without
    /// <c>{region}</c> keeps the fallback's region.
    /// </summary>
    public RegistryScope Addressed(string host, RegistryScope fallback)
    {
        if (_host?.Match(host) is not { Success: true } match)
        {
            return fallback;
        }

        var region = match.Groups["region"];
        return new RegistryScope(match.Groups["account"].Value, region.Success ? region.Value.ToLowerInvariant() : fallback.Region);
    }

    private static Regex? HostPattern(string template)
    {
        var schemeEnd = template.IndexOf("://", StringComparison.Ordinal);
        var authority = schemeEnd < 0 ? template : template[(schemeEnd + 3)..];
        if (!authority.Contains("{account}", StringComparison.Ordinal))
        {
            return null;
        }

        var pattern = Regex.Escape(authority)
            .Replace(@"\{account}", "(?<account>[0-9]{12})", StringComparison.Ordinal)
            .Replace(@"\{region}", "(?<region>[a-z]{2}(-[a-z]+)+-[0-9]+)", StringComparison.Ordinal);
        return new Regex("^" + pattern + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
