namespace Berth.Tests.Storage;

/// <summary>Runs the shared upload-store suite against SQLite.</summary>
public sealed class SqliteUploadStoreTests : UploadStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
