namespace Berth.Tests.Storage;

/// <summary>Runs the shared creation template suite against SQLite.</summary>
public sealed class SqliteCreationTemplateStoreTests : CreationTemplateStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}

/// <summary>Runs the shared creation template suite against SQLite behind the read cache, as the server composes it.</summary>
public sealed class CachingSqliteCreationTemplateStoreTests : CreationTemplateStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores(TimeSpan.FromMinutes(5));
}
