using System.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Storage.Caching;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Owns the connections to one PostgreSQL database shared by every node. Writes run as SERIALIZABLE transactions and
/// are retried when PostgreSQL reports a serialization failure or deadlock, so concurrent writes from any number of
/// nodes end as if they had run one after another, which is what SQLite's single writer gives one node.
/// </summary>
public sealed class PostgresDatabase : ISqlDatabase, IAsyncDisposable
{
    private const int MaxAttempts = 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresChangeSignal _signal;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
        _signal = new PostgresChangeSignal(_dataSource);
    }

    /// <summary>Server and database, without credentials, as an operator would name them.</summary>
    public string Location { get; }

    /// <summary>
    /// The change signal for the read cache: moves on after this node's writes and whenever any node's write is
    /// announced by NOTIFY (<see cref="PostgresChangeSignal"/>).
    /// </summary>
    public IChangeSignal Signal => _signal;

    /// <summary>Whether this node hears other nodes' changes now; while it does not, its read cache answers nothing.</summary>
    public bool IsListening => _signal.Listening;

    /// <summary>Runs a read on a pooled connection, outside any explicit transaction (each statement sees committed data).</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, T> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return work(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside one SERIALIZABLE transaction that also announces the change to the other
    /// nodes; runs it again from the start when PostgreSQL aborts it for a conflict, so it must not act outside the
    /// database.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work, CancellationToken cancellationToken = default)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
                    var result = work(connection, transaction);
                    // Delivered to every listening node at commit, and only if the transaction commits.
                    await using (var notify = new NpgsqlCommand($"NOTIFY {PostgresChangeSignal.Channel}", connection, transaction))
                    {
                        await notify.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                    BerthMetrics.Committed("postgres", started);
                    return result;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
                {
                    // The other transaction won; wait a little, longer each time, so the retries do not collide again.
                    await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
                }
            }
        }
        finally
        {
            // Before the caller hears of the commit, so nothing it does next is answered from a cache filled before it.
            _signal.Moved();
        }
    }

    SqlDialect ISqlDatabase.Dialect => PostgresDialect.Instance;

    Task<T> ISqlDatabase.ReadAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        ReadAsync(connection => work(new SqlSession(connection, null, PostgresDialect.Instance)), cancellationToken);

    Task<T> ISqlDatabase.WriteAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => work(new SqlSession(connection, transaction, PostgresDialect.Instance)), cancellationToken);

    // PostgreSQL keeps no reserve: a write that frees space is an ordinary write.
    Task<T> ISqlDatabase.WriteFreeingAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        ((ISqlDatabase)this).WriteAsync(work, cancellationToken);

    /// <summary>A connection of its own, outside the pool's transactions: for session-level advisory locks.</summary>
    internal ValueTask<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _signal.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
