using Berth.Domain;

namespace Berth.Tests.Support;

/// <summary>A metadata store that hands out another store's parts, for tests that replace one part and keep the rest.</summary>
public class ForwardingMetadataStore(IMetadataStore inner) : IMetadataStore
{
    public virtual IAccessKeyStore AccessKeys => inner.AccessKeys;

    public virtual IUserStore Users => inner.Users;

    public virtual IRepositoryStore Repositories => inner.Repositories;

    public virtual IImageStore Images => inner.Images;

    public virtual IUploadStore Uploads => inner.Uploads;

    public virtual IBlobCollectionStore Collection => inner.Collection;

    public virtual ILifecycleStore Lifecycle => inner.Lifecycle;

    public virtual IPolicyStore Policies => inner.Policies;

    public virtual ILeaseStore Leases => inner.Leases;

    public virtual IRegistryKeyStore RegistryKeys => inner.RegistryKeys;

    public virtual IPullThroughStore PullThrough => inner.PullThrough;

    public virtual ISecretStore Secrets => inner.Secrets;

    public virtual IScanStore Scans => inner.Scans;

    public virtual IVulnerabilityStore Vulnerabilities => inner.Vulnerabilities;

    public virtual IPullExclusionStore PullExclusions => inner.PullExclusions;

    public virtual IOutboxStore Outbox => inner.Outbox;

    public virtual IReplicationStore Replication => inner.Replication;
    public virtual ICreationTemplateStore CreationTemplates => inner.CreationTemplates;

    public virtual ISigningStore Signing => inner.Signing;

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);
}
