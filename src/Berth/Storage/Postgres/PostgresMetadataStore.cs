using Berth.Domain;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>The shared metadata store: one PostgreSQL database that any number of nodes use at once.</summary>
/// <remarks>
/// Uncached; the composition root wraps it in <see cref="Caching.CachingMetadataStore"/> with
/// <see cref="PostgresDatabase.Signal"/> as the change signal.
/// </remarks>
/// <param name="database">The database's connections.</param>
/// <param name="time">The clock for the times the store stamps itself (system clock when null).</param>
public sealed class PostgresMetadataStore(PostgresDatabase database, TimeProvider? time = null) : IMetadataStore
{
    /// <summary>
    /// The session advisory lock migrations run under (the text 'berth-migrations' as an int64), so nodes starting
    /// together apply each migration once: the others wait, then find nothing left to apply.
    /// </summary>
    public const long MigrationLockKey = 0x6265727468_6D6967;

    /// <summary>The session advisory lock a garbage collection holds (see <see cref="PostgresCollectionLock"/>).</summary>
    public const long CollectionLockKey = 0x6265727468_6763;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IAccessKeyStore AccessKeys { get; } = new SqlAccessKeyStore(database);

    public IUserStore Users { get; } = new SqlUserStore(database);

    public IRepositoryStore Repositories { get; } = new SqlRepositoryStore(database);

    public IImageStore Images { get; } = new SqlImageStore(database, time ?? TimeProvider.System);

    public IUploadStore Uploads { get; } = new SqlUploadStore(database);

    public IBlobCollectionStore Collection { get; } = new SqlBlobCollectionStore(database, new PostgresCollectionLock(database).TryTakeAsync);

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

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenSessionAsync(cancellationToken);
        // Session-level, so it spans the one transaction per migration and is released if this node dies mid-way.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
            await using var current = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
            var applied = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
            foreach (var (version, sql) in PostgresMigrations.All)
            {
                if (version <= applied)
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var migrate = new NpgsqlCommand(sql, connection, transaction))
                {
                    await migrate.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    record.Parameters.AddWithValue("t", _time.GetUtcNow().ToUnixTimeMilliseconds());
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    /// <summary>Whether the database already holds a Berth registry (some migration has been applied).</summary>
    public Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        ((ISqlDatabase)database).ReadAsync(db => db.Exists("SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations' AND schemaname = current_schema()"), cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
