using Berth.Domain.Templates;

namespace Berth.Domain;

/// <summary>
/// A registry's repository creation templates, keyed by <see cref="CreationTemplate.Key"/>, and the one write that
/// creates a repository from a template. Each method is one transaction.
/// </summary>
public interface ICreationTemplateStore
{
    /// <summary>Adds the template unless its key is taken (the stored one is kept) or the registry already has <paramref name="limit"/>.</summary>
    Task<TemplateAddition> AddAsync(RegistryScope registry, CreationTemplate template, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces every field of the template stored under its key but its creation time; false when there is none.</summary>
    Task<bool> ReplaceAsync(RegistryScope registry, CreationTemplate template, CancellationToken cancellationToken);

    /// <summary>Removes and returns the template stored under <paramref name="key"/>, or null when there was none.</summary>
    Task<CreationTemplate?> DeleteAsync(RegistryScope registry, string key, CancellationToken cancellationToken);

    /// <summary>The templates stored under any of <paramref name="keys"/>, ordered by key (ordinal).</summary>
    Task<IReadOnlyList<CreationTemplate>> FindAsync(RegistryScope registry, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>One keyset page of the registry's templates ordered by key (ordinal), strictly after <paramref name="afterKey"/>.</summary>
    Task<Page<CreationTemplate>> ListAsync(RegistryScope registry, string? afterKey, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the repository with its tags, repository policy and lifecycle policy (each optional) in one
    /// transaction, so no reader ever sees it without them; false when the name is taken (nothing is changed).
    /// </summary>
    Task<bool> CreateRepositoryAsync(
        Repository repository,
        IReadOnlyList<ResourceTag> tags,
        string? repositoryPolicy,
        string? lifecyclePolicy,
        CancellationToken cancellationToken);
}

/// <summary>What <see cref="ICreationTemplateStore.AddAsync"/> did.</summary>
public enum TemplateAddition
{
    Added,
    AlreadyExists,
    LimitReached,
}
