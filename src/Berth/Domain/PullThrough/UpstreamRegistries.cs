using System.Text.RegularExpressions;

namespace Berth.Domain.PullThrough;

/// <summary>
/// The upstream registry kinds a pull-through rule may name, the URLs each accepts, and which need a credential (as
/// ECR decides). <c>generic</c> is Berth's own: any OCI registry, <c>https://</c> unless the URL says <c>http://</c>.
/// </summary>
public static partial class UpstreamRegistries
{
    /// <summary>Berth's extension: any OCI Distribution registry.</summary>
    public const string Generic = "generic";

    private static readonly Dictionary<string, string> FixedHosts = new(StringComparer.Ordinal)
    {
        ["ecr-public"] = "public.ecr.aws",
        ["quay"] = "quay.io",
        ["k8s"] = "registry.k8s.io",
        ["docker-hub"] = "registry-1.docker.io",
        ["github-container-registry"] = "ghcr.io",
        ["gitlab-container-registry"] = "registry.gitlab.com",
        ["chainguard"] = "cgr.dev",
    };

    /// <summary>Whether a rule for this kind must carry a credentialArn.</summary>
    public static bool NeedsCredential(string kind) =>
        kind is "docker-hub" or "github-container-registry" or "gitlab-container-registry" or "azure-container-registry" or "chainguard";

    /// <summary>
    /// The kind a URL belongs to: <paramref name="declared"/> when given and the URL fits it; inferred from the URL when
    /// not (a URL with a scheme is a generic registry). Null with an error message when the pair is not supported.
    /// </summary>
    public static string? Resolve(string url, string? declared, out string? error)
    {
        error = null;
        if (declared == Generic || (declared is null && HasScheme(url)))
        {
            if (GenericBase(url) is null)
            {
                error = $"The upstream registry URL '{url}' is not an http(s) URL or host[:port] of an OCI registry.";
                return null;
            }

            return Generic;
        }

        var host = HasScheme(url) ? (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..].TrimEnd('/') : null) : url.TrimEnd('/');
        var inferred = host is null ? null : KindOfHost(host);
        if (declared is null)
        {
            if (inferred is null)
            {
                error = $"Upstream registry URL '{url}' is not supported.";
            }

            return inferred;
        }

        if (inferred != declared)
        {
            error = $"Upstream registry URL '{url}' is not a valid URL for the upstream registry '{declared}'.";
            return null;
        }

        return declared;
    }

    /// <summary>Where the upstream's /v2/ API is: https unless a generic URL says http.</summary>
    public static Uri BaseOf(string url, string kind) =>
        kind == Generic
            ? GenericBase(url) ?? throw new ArgumentException($"'{url}' is not a generic upstream URL.", nameof(url))
            : new Uri("https://" + (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..] : url).TrimEnd('/') + "/");

    private static string? KindOfHost(string host)
    {
        foreach (var (kind, fixedHost) in FixedHosts)
        {
            if (string.Equals(host, fixedHost, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        if (EcrHost().IsMatch(host))
        {
            return "ecr";
        }

        return AzureHost().IsMatch(host) ? "azure-container-registry" : null;
    }

    private static bool HasScheme(string url) => url.Contains("://", StringComparison.Ordinal);

    private static Uri? GenericBase(string url)
    {
        var text = HasScheme(url) ? url : "https://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/') + "/";
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
    }

    [GeneratedRegex(@"^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex EcrHost();

    [GeneratedRegex(@"^[a-z0-9]+\.azurecr\.io$", RegexOptions.CultureInvariant)]
    private static partial Regex AzureHost();
}
