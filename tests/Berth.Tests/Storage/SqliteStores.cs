using Berth.Domain;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;

namespace Berth.Tests.Storage;

/// <summary>SQLite metadata stores over one temporary database file, closed together.</summary>
internal sealed class SqliteStores : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteDatabase> _databases = [];

    public IMetadataStore Open()
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
