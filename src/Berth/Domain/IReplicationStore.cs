using Berth.Domain.Replication;

namespace Berth.Domain;

/// <summary>Each registry's replication configuration (stored as the domain's JSON) and the outcome of each image's copies.</summary>
public interface IReplicationStore
{
    /// <summary>The registry's configuration text, or null when it never set one.</summary>
    Task<string?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>Stores the registry's configuration text, replacing any.</summary>
    Task PutConfigurationAsync(RegistryScope registry, string configuration, CancellationToken cancellationToken);

    /// <summary>The recorded outcomes for one image of a source repository, one per destination, ordered by region then registry.</summary>
    Task<IReadOnlyList<ReplicationStatus>> ListStatusesAsync(RepositoryKey source, Digest digest, CancellationToken cancellationToken);

    /// <summary>Records (replacing) the outcome of copying an image to one destination.</summary>
    Task SetStatusAsync(RepositoryKey source, Digest digest, ReplicationStatus status, DateTimeOffset at, CancellationToken cancellationToken);
}
