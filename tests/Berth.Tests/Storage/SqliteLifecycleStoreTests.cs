namespace Berth.Tests.Storage;

/// <summary>Runs the shared lifecycle-store suite against SQLite.</summary>
public sealed class SqliteLifecycleStoreTests : LifecycleStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
