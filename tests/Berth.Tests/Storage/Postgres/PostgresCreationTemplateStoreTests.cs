using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared creation template suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresCreationTemplateStoreTests : CreationTemplateStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
