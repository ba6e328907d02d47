using Berth.Domain;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

// The shared store suites, unchanged, against PostgreSQL: each test class over its own fresh database.

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresMetadataStoreTests : MetadataStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresRepositoryStoreTests : RepositoryStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresImageStoreTests : ImageStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

/// <summary>The image suite behind the read cache, as the server composes a PostgreSQL store.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class CachingPostgresImageStoreTests : ImageStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores(TimeSpan.FromMinutes(1));
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresBlobLinkTests : BlobLinkSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresUploadStoreTests : UploadStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresLifecycleStoreTests : LifecycleStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresAccessKeyStoreTests : AccessKeyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresUserStoreTests : UserStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresBlobCollectionStoreTests : BlobCollectionStoreSuite
{
    private readonly PostgresStores _stores = new();

    protected override Task<IMetadataStore> OpenStoreAsync() => _stores.OpenAsync();

    public override Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}

[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresPolicyStoreTests : PolicyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}

/// <summary>The lease suite; each reopened store is a separate connection pool, as another node's would be.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresLeaseStoreTests : LeaseStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores(time: Clock);
}

/// <summary>The registry-key suite; each reopened store is a separate connection pool, as another node's would be.</summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresRegistryKeyStoreTests : RegistryKeyStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();
}
