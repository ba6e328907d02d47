using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Storage.Caching;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;

namespace Berth.Tests.Storage;

/// <summary>
/// SQLite metadata stores over one temporary database file, closed together. With <paramref name="cacheMaxAge"/> each
/// store is composed as the server composes it: behind the read cache, with the database's generation as its signal.
/// With <paramref name="time"/> the stores stamp times by that clock.
/// </summary>
internal sealed class SqliteStores(TimeSpan? cacheMaxAge = null, TimeProvider? time = null) : IMetadataStoreHarness
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteDatabase> _databases = [];

    /// <summary>The database file every store opens.</summary>
    public string DatabasePath => Path.Combine(_directory.Path, "berth.db");

    /// <summary>What the cached stores move on after writes to users, keys and tags (one generation for all of them).</summary>
    public AccessChanges Changes { get; } = new();

    public IMetadataStore Open()
    {
        var database = new SqliteDatabase(Path.Combine(_directory.Path, "berth.db"));
        _databases.Add(database);
        var store = new SqliteMetadataStore(database, time);
        return cacheMaxAge is { } maxAge ? new CachingMetadataStore(store, database, maxAge, Changes) : store;
    }

    public Task<IMetadataStore> OpenAsync() => Task.FromResult(Open());

    /// <summary>The same database as another process (an admin command) opens it: its writes move nothing here.</summary>
    public IMetadataStore OpenAsAnotherProcess()
    {
        var database = new SqliteDatabase(Path.Combine(_directory.Path, "berth.db"));
        _databases.Add(database);
        return new SqliteMetadataStore(database);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _directory.Dispose();
    }
}
