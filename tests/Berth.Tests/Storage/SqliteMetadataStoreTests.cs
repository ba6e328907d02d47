namespace Berth.Tests.Storage;

/// <summary>Runs the shared metadata-store suite against SQLite.</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
