namespace Berth.Tests.Storage;

/// <summary>Runs the shared policy-store suite against SQLite.</summary>
public sealed class SqlitePolicyStoreTests : PolicyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}

/// <summary>Runs the shared policy-store suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqlitePolicyStoreTests : PolicyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5));
}
