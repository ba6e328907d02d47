namespace Berth.Tests.Storage;

/// <summary>Runs the shared access-key-store suite against SQLite.</summary>
public sealed class SqliteAccessKeyStoreTests : AccessKeyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
