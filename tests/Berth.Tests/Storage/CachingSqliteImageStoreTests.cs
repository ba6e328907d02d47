namespace Berth.Tests.Storage;

/// <summary>
/// Runs the shared image-store suite against SQLite behind the read cache, as the server composes it: the cache must
/// not change any answer the contract defines.
/// </summary>
public sealed class CachingSqliteImageStoreTests : ImageStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(1));
}
