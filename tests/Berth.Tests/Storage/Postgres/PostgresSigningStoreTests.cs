using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>Runs the shared signing suite against PostgreSQL, over its own fresh database.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresSigningStoreTests : SigningStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
