using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Storage.Caching;

/// <summary>
/// A metadata store whose image reads go through <see cref="CachingImageStore"/>, and whose writes to what
/// authorization reads move <paramref name="accessChanges"/> on (when given) for the decision cache; its other parts
/// pass through.
/// </summary>
public sealed class CachingMetadataStore(IMetadataStore inner, IChangeSignal signal, TimeSpan maxAge, AccessChanges? accessChanges = null) : IMetadataStore
{
    public IAccessKeyStore AccessKeys { get; } = accessChanges is null ? inner.AccessKeys : new AccessChangeKeyStore(inner.AccessKeys, accessChanges);

    public IUserStore Users { get; } = accessChanges is null ? inner.Users : new AccessChangeUserStore(inner.Users, accessChanges);

    public IRepositoryStore Repositories { get; } = accessChanges is null ? inner.Repositories : new AccessChangeRepositoryStore(inner.Repositories, accessChanges);

    public IImageStore Images { get; } = new CachingImageStore(inner.Images, signal, maxAge);

    public IUploadStore Uploads => inner.Uploads;

    public ILifecycleStore Lifecycle => inner.Lifecycle;

    // Policies are parsed and kept by the domain (Domain/Policies/ResourcePolicyCache), not here.
    public IPolicyStore Policies => inner.Policies;

    public IBlobCollectionStore Collection => inner.Collection;

    public ILeaseStore Leases => inner.Leases;

    public IPullExclusionStore PullExclusions => inner.PullExclusions;

    public ICreationTemplateStore CreationTemplates { get; } =
        accessChanges is null ? inner.CreationTemplates : new AccessChangeCreationTemplateStore(inner.CreationTemplates, accessChanges);

    // The first access key is added once, at start, before any decision is cached.
    public IRegistryKeyStore RegistryKeys => inner.RegistryKeys;

    public IOutboxStore Outbox => inner.Outbox;

    public IReplicationStore Replication => inner.Replication;

    public IPullThroughStore PullThrough => inner.PullThrough;

    public ISecretStore Secrets => inner.Secrets;

    public ISigningStore Signing => inner.Signing;

    public IScanStore Scans => inner.Scans;

    public IVulnerabilityStore Vulnerabilities => inner.Vulnerabilities;

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);
}
