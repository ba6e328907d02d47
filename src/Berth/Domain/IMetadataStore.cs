namespace Berth.Domain;

/// <summary>
/// The single source of truth for everything but blob bytes. Each method is one explicit transaction,
/// so a PostgreSQL backend can implement the same contract without callers changing.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Applies pending numbered migrations; safe to call from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<AccessKey?> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken);

    Task<int> CountAccessKeysAsync(CancellationToken cancellationToken);

    Task AddAccessKeyAsync(AccessKey key, CancellationToken cancellationToken);

    /// <summary>Creates the repository with its tags atomically; false when the name is taken in that registry.</summary>
    Task<bool> CreateRepositoryAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken);

    Task<Repository?> GetRepositoryAsync(RepositoryKey key, CancellationToken cancellationToken);

    /// <summary>Repositories of one registry ordered by name, strictly after <paramref name="afterName"/>.</summary>
    Task<Page<Repository>> ListRepositoriesAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the mutable settings (mutability, filters, scan on push); false when the repository is gone.</summary>
    Task<bool> UpdateRepositoryAsync(Repository repository, CancellationToken cancellationToken);

    /// <summary>Deletes the repository with its tags and policies; returns what was deleted.</summary>
    Task<Repository?> DeleteRepositoryAsync(RepositoryKey key, CancellationToken cancellationToken);

    /// <summary>The repository's tags ordered by key, or null when it does not exist.</summary>
    Task<IReadOnlyList<ResourceTag>?> GetResourceTagsAsync(RepositoryKey key, CancellationToken cancellationToken);

    /// <summary>Upserts and removes tags in one transaction, refusing a result above <paramref name="maxTags"/>.</summary>
    Task<TagUpdateOutcome> UpdateResourceTagsAsync(
        RepositoryKey key,
        IReadOnlyList<ResourceTag> upsert,
        IReadOnlyList<string> remove,
        int maxTags,
        CancellationToken cancellationToken);
}

/// <summary>What a tag update did.</summary>
public enum TagUpdateOutcome
{
    Updated,
    RepositoryNotFound,
    TooManyTags,
}
