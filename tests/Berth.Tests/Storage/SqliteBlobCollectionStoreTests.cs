using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>Runs the shared blob-collection suite against SQLite.</summary>
public sealed class SqliteBlobCollectionStoreTests : BlobCollectionStoreSuite
{
    private readonly SqliteStores _stores = new();

    protected override Task<IMetadataStore> OpenStoreAsync() => Task.FromResult(_stores.Open());

    public override Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}
