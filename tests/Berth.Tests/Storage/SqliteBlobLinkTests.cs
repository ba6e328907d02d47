namespace Berth.Tests.Storage;

/// <summary>Runs the shared blob-link suite against SQLite.</summary>
public sealed class SqliteBlobLinkTests : BlobLinkSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
