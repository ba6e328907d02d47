using Berth.Domain;

namespace Berth.Storage.Caching;

/// <summary>A metadata store whose image reads go through <see cref="CachingImageStore"/>; its other parts pass through.</summary>
public sealed class CachingMetadataStore(IMetadataStore inner, IChangeSignal signal, TimeSpan maxAge) : IMetadataStore
{
    public IAccessKeyStore AccessKeys => inner.AccessKeys;

    public IUserStore Users => inner.Users;

    public IRepositoryStore Repositories => inner.Repositories;

    public IImageStore Images { get; } = new CachingImageStore(inner.Images, signal, maxAge);

    public IUploadStore Uploads => inner.Uploads;

    public ILifecycleStore Lifecycle => inner.Lifecycle;

    // Policies are parsed and kept by the domain (Domain/Policies/ResourcePolicyCache), not here.
    public IPolicyStore Policies => inner.Policies;

    public IBlobCollectionStore Collection => inner.Collection;

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);
}
