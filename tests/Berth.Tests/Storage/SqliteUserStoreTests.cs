namespace Berth.Tests.Storage;

/// <summary>Runs the shared user-store suite against SQLite.</summary>
public sealed class SqliteUserStoreTests : UserStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
