using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Templates;

namespace Berth.Storage.Caching;

/// <summary>
/// Creation templates whose repository creation moves <see cref="AccessChanges"/> on: the new repository carries tags
/// and a repository policy that authorization reads. Templates themselves are not read by authorization.
/// </summary>
internal sealed class AccessChangeCreationTemplateStore(ICreationTemplateStore inner, AccessChanges changes) : ICreationTemplateStore
{
    public Task<TemplateAddition> AddAsync(RegistryScope registry, CreationTemplate template, int limit, CancellationToken cancellationToken) =>
        inner.AddAsync(registry, template, limit, cancellationToken);

    public Task<bool> ReplaceAsync(RegistryScope registry, CreationTemplate template, CancellationToken cancellationToken) =>
        inner.ReplaceAsync(registry, template, cancellationToken);

    public Task<CreationTemplate?> DeleteAsync(RegistryScope registry, string key, CancellationToken cancellationToken) =>
        inner.DeleteAsync(registry, key, cancellationToken);

    public Task<IReadOnlyList<CreationTemplate>> FindAsync(RegistryScope registry, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        inner.FindAsync(registry, keys, cancellationToken);

    public Task<Page<CreationTemplate>> ListAsync(RegistryScope registry, string? afterKey, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(registry, afterKey, limit, cancellationToken);

    public Task<bool> CreateRepositoryAsync(
        Repository repository, IReadOnlyList<ResourceTag> tags, string? repositoryPolicy, string? lifecyclePolicy, CancellationToken cancellationToken) =>
        changes.After(inner.CreateRepositoryAsync(repository, tags, repositoryPolicy, lifecyclePolicy, cancellationToken));
}
