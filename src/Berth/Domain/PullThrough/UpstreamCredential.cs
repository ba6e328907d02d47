namespace Berth.Domain.PullThrough;

/// <summary>A user name and access token for an upstream registry, opened from a stored secret.</summary>
public sealed record UpstreamCredential(string Username, string AccessToken)
{
    public override string ToString() => $"UpstreamCredential {{ Username = {Username} }}";
}
