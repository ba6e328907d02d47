namespace Berth.Domain.PullThrough;

/// <summary>
/// One pull-through cache rule of a registry: repositories named <c>&lt;EcrRepositoryPrefix&gt;/…</c> are filled from
/// the upstream registry, whose repository is <c>&lt;UpstreamRepositoryPrefix&gt;/…</c> (ROOT on either side, or no
/// upstream prefix given: no prefix).
/// </summary>
public sealed record PullThroughRule(
    RegistryScope Registry,
    string EcrRepositoryPrefix,
    string UpstreamRegistryUrl,
    string UpstreamRegistry,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The prefix that matches every repository (ECR's word for "no prefix").</summary>
    public const string Root = "ROOT";

    /// <summary>
    /// The upstream repository a local repository name stands for, or null when the rule does not cover the name.
    /// </summary>
    public string? UpstreamRepositoryOf(string repositoryName)
    {
        string rest;
        if (EcrRepositoryPrefix == Root)
        {
            rest = repositoryName;
        }
        else
        {
            var prefix = EcrRepositoryPrefix.TrimEnd('/') + "/";
            if (!repositoryName.StartsWith(prefix, StringComparison.Ordinal) || repositoryName.Length == prefix.Length)
            {
                return null;
            }

            rest = repositoryName[prefix.Length..];
        }

        return UpstreamRepositoryPrefix is null or Root ? rest : UpstreamRepositoryPrefix.TrimEnd('/') + "/" + rest;
    }
}
