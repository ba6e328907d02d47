namespace Berth.Domain;

/// <summary>
/// The single source of truth for everything but blob bytes. Every method of its parts is one explicit
/// transaction, so a PostgreSQL backend can implement the same contract without callers changing.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Applies pending numbered migrations; safe to call from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    IAccessKeyStore AccessKeys { get; }

    IUserStore Users { get; }

    IRepositoryStore Repositories { get; }

    IImageStore Images { get; }

    IUploadStore Uploads { get; }

    /// <summary>When unreferenced blobs may go: claims, marks and the collection lock.</summary>
    IBlobCollectionStore Collection { get; }

    ILifecycleStore Lifecycle { get; }

    /// <summary>Repository and registry policies, and account settings.</summary>
    IPolicyStore Policies { get; }

    /// <summary>Which node runs each background job.</summary>
    ILeaseStore Leases { get; }

    /// <summary>Principals whose pulls do not update lastRecordedPullTime.</summary>
    IPullExclusionStore PullExclusions { get; }
    /// <summary>Repository creation templates, and the creation of a repository from one.</summary>
    ICreationTemplateStore CreationTemplates { get; }

    /// <summary>The registry's own keys (sealed) and its first access key, created once for every node.</summary>
    IRegistryKeyStore RegistryKeys { get; }

    /// <summary>Work that writes cause, kept until a background worker has done it.</summary>
    IOutboxStore Outbox { get; }

    /// <summary>Replication configurations and each image's per-destination outcome.</summary>
    IReplicationStore Replication { get; }

    /// <summary>Pull-through cache rules and the upstream check time of cached tags.</summary>
    IPullThroughStore PullThrough { get; }

    /// <summary>Named secrets (sealed) that pull-through rules' credential ARNs resolve to.</summary>
    ISecretStore Secrets { get; }

    /// <summary>Managed signing: profiles, configurations and image signing jobs.</summary>
    ISigningStore Signing { get; }

    /// <summary>Registry scanning configurations and each image's latest scan.</summary>
    IScanStore Scans { get; }

    /// <summary>The imported OSV vulnerability database.</summary>
    IVulnerabilityStore Vulnerabilities { get; }
}

/// <summary>
/// Access keys that sign ECR API requests. The secret is stored exactly as given (the domain seals it before it gets
/// here); a key of a user requires that user to exist.
/// </summary>
public interface IAccessKeyStore
{
    /// <summary>The key with exactly this id (case-sensitive), whatever its status, or null.</summary>
    Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken);

    /// <summary>How many keys exist, over all accounts.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new key with every field as given; false when it names a user the account does not have.</summary>
    Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken);

    /// <summary>Every key, or every key of one account, ordered by account then id.</summary>
    Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken);

    /// <summary>Sets the key's status; false when there is no such key.</summary>
    Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken);

    /// <summary>Deletes the key; false when there was no such key.</summary>
    Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored secret only while it is still <paramref name="expected"/> (so processes sealing the same
    /// legacy secret at once cannot overwrite each other); false when it had changed or the key is gone.
    /// </summary>
    Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken);
}
