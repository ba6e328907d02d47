using Berth.Domain;

namespace Berth.Storage.Sqlite;

/// <summary>The embedded metadata store: one SQLite file in WAL mode under the data dir.</summary>
/// <param name="database">The database file's connections.</param>
/// <param name="cacheMaxAge">
/// How long a cached manifest or tag page may be served when only another process changed the database (default 1 s;
/// zero turns the cache off). This process's own writes void the cache at once (ReadCache).
/// </param>
public sealed class SqliteMetadataStore(SqliteDatabase database, TimeSpan? cacheMaxAge = null) : IMetadataStore
{
    public static readonly TimeSpan DefaultCacheMaxAge = TimeSpan.FromSeconds(1);

    public IAccessKeyStore AccessKeys { get; } = new SqliteAccessKeyStore(database);

    public IRepositoryStore Repositories { get; } = new SqliteRepositoryStore(database);

    public IImageStore Images { get; } = new SqliteImageStore(database, cacheMaxAge ?? DefaultCacheMaxAge);

    public IUploadStore Uploads { get; } = new SqliteUploadStore(database);

    public IBlobCollectionStore Collection { get; } = new SqliteBlobCollectionStore(database);

    public ILifecycleStore Lifecycle { get; } = new SqliteLifecycleStore(database);

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            SqlHelpers.Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
            using var current = SqlHelpers.Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            var applied = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (version, sql) in SqliteMigrations.All)
            {
                if (version <= applied)
                {
                    continue;
                }

                SqlHelpers.Execute(connection, transaction, sql);
                using var record = SqlHelpers.Command(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t)");
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
}
