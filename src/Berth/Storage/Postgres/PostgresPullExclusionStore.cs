namespace Berth.Storage.Postgres;

/// <summary>Pull-time update exclusions in PostgreSQL.</summary>
internal sealed class PostgresPullExclusionStore(PostgresDatabase database) : PullExclusionStore
{
    protected override Task<T> ReadAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => work((sql, values) => PgSql.Command(connection, null, sql, values)), cancellationToken);

    protected override Task<T> WriteAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => work((sql, values) => PgSql.Command(connection, transaction, sql, values)), cancellationToken);
}
