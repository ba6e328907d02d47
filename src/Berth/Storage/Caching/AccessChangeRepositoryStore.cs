using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Storage.Caching;

/// <summary>
/// Repositories that move <see cref="AccessChanges"/> on after each write: their tags are read by tag conditions,
/// and a deleted and recreated repository may carry other tags.
/// </summary>
internal sealed class AccessChangeRepositoryStore(IRepositoryStore inner, AccessChanges changes) : IRepositoryStore
{
    public Task<bool> CreateAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken) =>
        changes.After(inner.CreateAsync(repository, tags, cancellationToken));

    public Task<Repository?> GetAsync(RepositoryKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<Page<Repository>> ListAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(scope, afterName, limit, cancellationToken);

    // Settings (mutability, scanning) are not read by authorization.
    public Task<bool> UpdateAsync(Repository repository, CancellationToken cancellationToken) => inner.UpdateAsync(repository, cancellationToken);

    public Task<Repository?> DeleteAsync(RepositoryKey key, CancellationToken cancellationToken) => changes.After(inner.DeleteAsync(key, cancellationToken));

    public Task<IReadOnlyList<ResourceTag>?> GetResourceTagsAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        inner.GetResourceTagsAsync(key, cancellationToken);

    public Task<TagUpdateOutcome> UpdateResourceTagsAsync(
        RepositoryKey key, IReadOnlyList<ResourceTag> upsert, IReadOnlyList<string> remove, int maxTags, CancellationToken cancellationToken) =>
        changes.After(inner.UpdateResourceTagsAsync(key, upsert, remove, maxTags, cancellationToken));
}
