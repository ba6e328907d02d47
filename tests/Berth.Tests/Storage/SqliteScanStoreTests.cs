namespace Berth.Tests.Storage;

/// <summary>Runs the shared Scan store suite against SQLite.</summary>
public sealed class SqliteScanStoreTests : ScanStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
