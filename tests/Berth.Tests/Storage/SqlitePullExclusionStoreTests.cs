namespace Berth.Tests.Storage;

/// <summary>Runs the shared pull-time exclusion suite against SQLite.</summary>
public sealed class SqlitePullExclusionStoreTests : PullExclusionStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}

/// <summary>Runs the shared pull-time exclusion suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqlitePullExclusionStoreTests : PullExclusionStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5));
}
