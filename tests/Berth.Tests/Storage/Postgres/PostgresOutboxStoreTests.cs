using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared outbox suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresOutboxStoreTests : OutboxStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
