namespace Berth.Tests.Storage;

/// <summary>Runs the shared registry-key suite against SQLite (two store instances over one file stand for two processes).</summary>
public sealed class SqliteRegistryKeyStoreTests : RegistryKeyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
