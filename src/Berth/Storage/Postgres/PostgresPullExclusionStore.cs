using Berth.Domain;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>Pull-time update exclusions in PostgreSQL: one row per registry and principal ARN.</summary>
internal sealed class PostgresPullExclusionStore(PostgresDatabase database) : IPullExclusionStore
{
    public Task<PullExclusionAddition> AddAsync(RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => PullExclusionSql.Add((sql, values) => Command(connection, transaction, sql, values), registry, principalArn, createdAt, limit),
            cancellationToken);

    public Task<bool> RemoveAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => PullExclusionSql.Remove((sql, values) => Command(connection, transaction, sql, values), registry, principalArn),
            cancellationToken);

    public Task<Page<string>> ListAsync(RegistryScope registry, string? afterArn, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(
            connection => PullExclusionSql.List((sql, values) => Command(connection, null, sql, values), registry, afterArn, limit),
            cancellationToken);

    public Task<bool> ContainsAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        database.ReadAsync(
            connection => PullExclusionSql.Contains((sql, values) => Command(connection, null, sql, values), registry, principalArn),
            cancellationToken);
}
