using Berth.Domain;
using static Berth.Storage.Sqlite.SqlHelpers;

namespace Berth.Storage.Sqlite;

/// <summary>Pull-time update exclusions in SQLite: one row per registry and principal ARN.</summary>
internal sealed class SqlitePullExclusionStore(SqliteDatabase database) : IPullExclusionStore
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
        Task.FromResult(database.Read(connection =>
            PullExclusionSql.List((sql, values) => Command(connection, null, sql, values), registry, afterArn, limit)));

    public Task<bool> ContainsAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
            PullExclusionSql.Contains((sql, values) => Command(connection, null, sql, values), registry, principalArn)));
}
