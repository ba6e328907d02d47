namespace Berth.Tests.Storage;

/// <summary>Runs the shared lease suite against SQLite (two store instances over one file stand for two nodes).</summary>
public sealed class SqliteLeaseStoreTests : LeaseStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(time: Clock);
}

/// <summary>Runs the shared lease suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqliteLeaseStoreTests : LeaseStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5), Clock);
}
