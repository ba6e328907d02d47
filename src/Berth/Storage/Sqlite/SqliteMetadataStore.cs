using Berth.Domain;
using Berth.Storage.Sql;

namespace Berth.Storage.Sqlite;

/// <summary>The embedded metadata store: one SQLite file in WAL mode under the data dir.</summary>
/// <remarks>
/// Uncached; the composition root wraps it in <see cref="Caching.CachingMetadataStore"/> with <paramref name="database"/>
/// as the change signal.
/// </remarks>
/// <param name="database">The database file's connections.</param>
/// <param name="time">The clock for the times the store stamps itself (system clock when null).</param>
public sealed class SqliteMetadataStore(SqliteDatabase database, TimeProvider? time = null) : IMetadataStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IAccessKeyStore AccessKeys { get; } = new SqlAccessKeyStore(database);

    public IUserStore Users { get; } = new SqlUserStore(database);

    public IRepositoryStore Repositories { get; } = new SqlRepositoryStore(database);

    public IImageStore Images { get; } = new SqlImageStore(database, time ?? TimeProvider.System);

    public IUploadStore Uploads { get; } = new SqlUploadStore(database);

    public IBlobCollectionStore Collection { get; } = new SqlBlobCollectionStore(database, new SqliteCollectionLock(database).TryTakeAsync);

    public ILifecycleStore Lifecycle { get; } = new SqlLifecycleStore(database);

    public IPolicyStore Policies { get; } = new SqlPolicyStore(database);

    public ILeaseStore Leases { get; } = new SqlLeaseStore(database, time ?? TimeProvider.System);

    public IPullExclusionStore PullExclusions { get; } = new SqlPullExclusionStore(database);

    public ICreationTemplateStore CreationTemplates { get; } = new SqlCreationTemplateStore(database);

    public IRegistryKeyStore RegistryKeys { get; } = new SqlRegistryKeyStore(database);

    public IOutboxStore Outbox { get; } = new SqlOutboxStore(database, time ?? TimeProvider.System);

    public IReplicationStore Replication { get; } = new SqlReplicationStore(database);

    public IPullThroughStore PullThrough { get; } = new SqlPullThroughStore(database);

    public ISecretStore Secrets { get; } = new SqlSecretStore(database);

    public ISigningStore Signing { get; } = new SqlSigningStore(database, time ?? TimeProvider.System);

    public IScanStore Scans { get; } = new SqlScanStore(database);

    public IVulnerabilityStore Vulnerabilities { get; } = new SqlVulnerabilityStore(database);

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
                record.Parameters.AddWithValue("$t", _time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
}
