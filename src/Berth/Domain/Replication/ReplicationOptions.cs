using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Berth.Domain.Replication;

/// <summary>
/// Berth's extension to ECR replication, the <c>Berth:Replication</c> section: destinations that are remote OCI
/// registries. A remote is addressed in ECR's configuration like any destination, by a region and registry id of its
/// own choosing; a copy to it is pushed over <c>/v2/</c> instead of made locally.
/// </summary>
public sealed class ReplicationOptions
{
    public const string SectionName = "Berth:Replication";

    /// <summary>The remote destinations (<c>Berth:Replication:Remotes:0:Url</c>, …).</summary>
    public List<RemoteDestination> Remotes { get; set; } = [];

    /// <summary>The remote that (region, registry id) names, or null for a destination inside this Berth.</summary>
    public RemoteDestination? Find(ReplicationDestination destination)
    {
        foreach (var remote in Remotes)
        {
            if (remote.Region == destination.Region && remote.RegistryId == destination.RegistryId)
            {
                return remote;
            }
        }

        return null;
    }
}

/// <summary>One remote OCI registry and the credentials Berth pushes to it with.</summary>
public sealed class RemoteDestination
{
    /// <summary>The region ECR's configuration names it by.</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>The 12-digit registry id ECR's configuration names it by.</summary>
    public string RegistryId { get; set; } = string.Empty;

    /// <summary>The registry's base URL (<c>https://registry.example:5000</c>); <c>http://</c> for a plain-HTTP one.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Basic-auth user name (a token service's challenge is followed with it too); none when empty.</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth password; set it through the environment (<c>BERTH_REPLICATION__REMOTES__0__PASSWORD</c>).</summary>
    public string? Password { get; set; }

    /// <summary>A prefix put before every repository name at the remote (<c>mirror/</c>); none when empty.</summary>
    public string? RepositoryPrefix { get; set; }
}

/// <summary>One-line refusals of a bad remote destination.</summary>
internal sealed partial class ReplicationOptionsValidator : IValidateOptions<ReplicationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicationOptions options)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < options.Remotes.Count; i++)
        {
            var remote = options.Remotes[i];
            var key = $"{ReplicationOptions.SectionName}:Remotes:{i}";
            if (!Uri.TryCreate(remote.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                return ValidateOptionsResult.Fail($"berth: invalid value '{remote.Url}' for {key}:Url: expected an http:// or https:// URL");
            }

            if (!RegionPattern().IsMatch(remote.Region))
            {
                return ValidateOptionsResult.Fail($"berth: invalid value '{remote.Region}' for {key}:Region: expected a region name ([0-9a-z-]{{2,25}})");
            }

            if (!RepositoryArn.IsAccountId(remote.RegistryId))
            {
                return ValidateOptionsResult.Fail($"berth: invalid value '{remote.RegistryId}' for {key}:RegistryId: expected 12 digits");
            }

            if (!seen.Add((remote.Region, remote.RegistryId)))
            {
                return ValidateOptionsResult.Fail($"berth: {key} names region '{remote.Region}' and registry '{remote.RegistryId}' again");
            }
        }

        return ValidateOptionsResult.Success;
    }

    [GeneratedRegex("^[0-9a-z-]{2,25}$")]
    private static partial Regex RegionPattern();
}
