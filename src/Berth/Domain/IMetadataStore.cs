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

    IRepositoryStore Repositories { get; }

    IImageStore Images { get; }

    IUploadStore Uploads { get; }

    /// <summary>When unreferenced blobs may go: claims, marks and the collection lock.</summary>
    IBlobCollectionStore Collection { get; }

    ILifecycleStore Lifecycle { get; }
}

/// <summary>Access keys that sign ECR API requests.</summary>
public interface IAccessKeyStore
{
    Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    Task AddAsync(AccessKey key, CancellationToken cancellationToken);
}
