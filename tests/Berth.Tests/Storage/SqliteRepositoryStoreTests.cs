namespace Berth.Tests.Storage;

/// <summary>Runs the shared repository-store suite against SQLite.</summary>
public sealed class SqliteRepositoryStoreTests : RepositoryStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
