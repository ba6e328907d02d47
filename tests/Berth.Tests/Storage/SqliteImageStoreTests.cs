namespace Berth.Tests.Storage;

/// <summary>Runs the shared image-store suite against SQLite.</summary>
public sealed class SqliteImageStoreTests : ImageStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
