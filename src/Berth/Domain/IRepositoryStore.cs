namespace Berth.Domain;

/// <summary>Repositories and their resource tags.</summary>
public interface IRepositoryStore
{
    /// <summary>Creates the repository with its tags atomically; false when the name is taken in that registry.</summary>
    Task<bool> CreateAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken);

    Task<Repository?> GetAsync(RepositoryKey key, CancellationToken cancellationToken);

    /// <summary>Repositories of one registry ordered by name (ordinal), strictly after <paramref name="afterName"/>.</summary>
    Task<Page<Repository>> ListAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the mutable settings (mutability, filters, scan on push); false when the repository is gone.</summary>
    Task<bool> UpdateAsync(Repository repository, CancellationToken cancellationToken);

    /// <summary>Deletes the repository with everything it holds; returns what was deleted.</summary>
    Task<Repository?> DeleteAsync(RepositoryKey key, CancellationToken cancellationToken);

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
