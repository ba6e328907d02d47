using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>Runs the shared blob-link suite against SQLite.</summary>
public sealed class SqliteBlobLinkTests : BlobLinkSuite
{
    private readonly SqliteStores _stores = new();

    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult(_stores.Open());

    public override Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}
