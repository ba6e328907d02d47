namespace Berth.Storage.Sql;

/// <summary>What the shared SQL stores need of a metadata database: where reads and writes run, and its dialect.</summary>
/// <remarks>
/// Each backend keeps what truly differs behind it: SQLite runs reads on pooled connections with prepared statements
/// kept (<see cref="Sqlite.StatementCache"/>) and writes on its one writer thread; PostgreSQL runs each write as a
/// SERIALIZABLE transaction retried on conflicts, announced to the other nodes by NOTIFY. A write's work may therefore
/// run more than once, so it must not act outside the database.
/// </remarks>
internal interface ISqlDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>Runs a read outside any explicit transaction.</summary>
    Task<T> ReadAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> inside one write transaction.</summary>
    Task<T> WriteAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken);

    /// <summary>A write that frees space (a delete, a collection step), which SQLite lets use its reserve on a full disk.</summary>
    Task<T> WriteFreeingAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken);
}
