using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared pull-time exclusion suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresPullExclusionStoreTests : PullExclusionStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
