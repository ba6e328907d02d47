using Berth.Domain;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;

namespace Berth.Tests.Storage;

/// <summary>Runs the shared metadata-store suite against SQLite.</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreSuite
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteDatabase> _databases = [];

    protected override Task<IMetadataStore> CreateStoreAsync() => ReopenStoreAsync();

    protected override Task<IMetadataStore> ReopenStoreAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_directory.Path, "berth.db"));
        _databases.Add(database);
        return Task.FromResult<IMetadataStore>(new SqliteMetadataStore(database));
    }

    public override async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _directory.Dispose();
    }
}
