namespace Berth.Domain.PullThrough;

/// <summary>An upstream registry's /v2/ base, the repository there (null for the base itself), and the credential to use.</summary>
public sealed record UpstreamTarget(Uri BaseUri, string? Repository, UpstreamCredential? Credential)
{
    /// <summary>The registry as messages name it: its URL, without any credential.</summary>
    public string Display => Repository is null ? BaseUri.ToString() : new Uri(BaseUri, Repository).ToString();
}
