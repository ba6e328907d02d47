namespace Berth.Tests.Storage;

/// <summary>Runs the shared pull-through suite against SQLite.</summary>
public sealed class SqlitePullThroughStoreTests : PullThroughStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}

/// <summary>Runs the shared pull-through suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqlitePullThroughStoreTests : PullThroughStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5));
}
