using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared pull-through suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresPullThroughStoreTests : PullThroughStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
