using Berth.Domain;
using Berth.Storage.Caching;
using Berth.Storage.Postgres;

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// PostgreSQL metadata stores over one empty database, emptied again on dispose for the next test. Each <see cref="OpenAsync"/> is a separate
/// connection pool and change listener, as a separate node would have. With <paramref name="cacheMaxAge"/> each store
/// is composed as the server composes it: behind the read cache, with the database's NOTIFY signal.
/// </summary>
/// <param name="cacheMaxAge">The read cache's maximum age, or null for uncached stores.</param>
/// <param name="neverMigrated">A database no test has used, instead of an emptied one that keeps its schema.</param>
/// <param name="time">The clock the stores stamp times by (system clock when null).</param>
internal sealed class PostgresStores(TimeSpan? cacheMaxAge = null, bool neverMigrated = false, TimeProvider? time = null) : IMetadataStoreHarness
{
    private readonly List<PostgresDatabase> _databases = [];
    private string? _connectionString;

    /// <summary>The harness's database, once the first store is open.</summary>
    public string? ConnectionString => _connectionString;

    public async Task<IMetadataStore> OpenAsync()
    {
        _connectionString ??= neverMigrated ? await TestPostgres.CreateDatabaseAsync() : await TestPostgres.RentDatabaseAsync();
        var database = new PostgresDatabase(_connectionString);
        _databases.Add(database);
        var store = new PostgresMetadataStore(database, time);
        return cacheMaxAge is { } maxAge ? new CachingMetadataStore(store, database.Signal, maxAge) : store;
    }

    /// <summary>The database behind the store last opened, for tests that look at its change signal.</summary>
    public PostgresDatabase LastDatabase => _databases[^1];

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await TestPostgres.ReturnDatabaseAsync(_connectionString);
        }
    }
}
