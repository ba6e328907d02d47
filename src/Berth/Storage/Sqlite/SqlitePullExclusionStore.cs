namespace Berth.Storage.Sqlite;

/// <summary>Pull-time update exclusions in SQLite.</summary>
internal sealed class SqlitePullExclusionStore(SqliteDatabase database) : PullExclusionStore
{
    protected override Task<T> ReadAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => work((sql, values) => SqlHelpers.Command(connection, null, sql, values))));

    protected override Task<T> WriteAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => work((sql, values) => SqlHelpers.Command(connection, transaction, sql, values)), cancellationToken);
}
