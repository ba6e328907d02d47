using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared Scan store suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresScanStoreTests : ScanStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
