namespace Berth.Tests.Storage;

/// <summary>Runs the shared signing suite against SQLite.</summary>
public sealed class SqliteSigningStoreTests : SigningStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}

/// <summary>Runs the shared signing suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqliteSigningStoreTests : SigningStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5));
}
