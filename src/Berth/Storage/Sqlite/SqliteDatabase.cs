using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Berth.Diagnostics.Metrics;
using Berth.Storage.Caching;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Owns the connections to one SQLite file. Reads run on pooled, already-open connections; writes are
/// serialised on one dedicated thread, because SQLite admits one writer at a time and its fsync must not
/// block request threads.
/// </summary>
public sealed class SqliteDatabase : IChangeSignal, ISqlDatabase, IAsyncDisposable
{
    private const int MaxIdleReaders = 16;

    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writerThread;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SpaceReserve _reserve;
    private long _generation;

    /// <param name="path">The database file.</param>
    /// <param name="reserveBytes">Room kept beside it for deletes on a full disk (<see cref="SpaceReserve"/>); 0 for none.</param>
    public SqliteDatabase(string path, long reserveBytes = 0)
    {
        Path = path;
        _reserve = new SpaceReserve(path + ".reserve", reserveBytes);
        _reserve.TryRestore();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            DefaultTimeout = 30,
            Mode = SqliteOpenMode.ReadWriteCreate,
        }.ToString();
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "berth-sqlite-writer" };
        _writerThread.Start();
    }

    public string Path { get; }

    /// <summary>
    /// Moves on after every write transaction of this instance, before the write's caller is answered: the change
    /// signal of <see cref="CachingImageStore"/> over SQLite.
    /// </summary>
    public long Generation => Volatile.Read(ref _generation);

    SqlDialect ISqlDatabase.Dialect => SqliteDialect.Instance;

    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        var connection = RentReader();
        try
        {
            return work(connection);
        }
        finally
        {
            ReturnReader(connection);
        }
    }

    // Synchronous, as SQLite is: the answer is ready when the task is made.
    Task<T> ISqlDatabase.ReadAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken)
    {
        var connection = RentReader();
        try
        {
            return Task.FromResult(work(new SqlSession(connection, null, SqliteDialect.Instance)));
        }
        finally
        {
            ReturnReader(connection);
        }
    }

    Task<T> ISqlDatabase.WriteAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => work(new SqlSession(connection, transaction, SqliteDialect.Instance)), cancellationToken);

    Task<T> ISqlDatabase.WriteFreeingAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken) =>
        WriteFreeingAsync((connection, transaction) => work(new SqlSession(connection, transaction, SqliteDialect.Instance)), cancellationToken);

    private SqliteConnection RentReader() => _readers.TryTake(out var connection) ? connection : Open();

    private void ReturnReader(SqliteConnection connection)
    {
        if (_readers.Count < MaxIdleReaders)
        {
            _readers.Add(connection);
        }
        else
        {
            StatementCache.Close(connection);
        }
    }

    /// <summary>Runs <paramref name="work"/> inside one IMMEDIATE transaction on the writer thread.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteItem<T>(work, freesSpace: false, cancellationToken));

    /// <summary>
    /// A write that frees space (a delete, a garbage collection step): on a full disk it may use the reserve
    /// (<see cref="SpaceReserve"/>), so it can run when every other write fails.
    /// </summary>
    public Task<T> WriteFreeingAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteItem<T>(work, freesSpace: true, cancellationToken));

    private Task<T> Enqueue<T>(WriteItem<T> item)
    {
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(item), this);
        BerthMetrics.WriterQueue.Add(1);

        return item.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerDone.Task;
        while (_readers.TryTake(out var connection))
        {
            StatementCache.Close(connection);
        }
    }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // FULL makes a commit durable before it is acknowledged; WAL lets readers run beside the writer.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        pragma.ExecuteNonQuery();
        StatementCache.Attach(connection);
        return connection;
    }

    private void WriterLoop()
    {
        SqliteConnection? connection = null;
        try
        {
            var reader = _writes.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        item.Run(ref connection, this);
                    }
                    finally
                    {
                        BerthMetrics.WriterQueue.Add(-1);
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                StatementCache.Close(connection);
            }

            _writerDone.TrySetResult();
        }
    }

    private abstract class WriteItem
    {
        /// <param name="connection">The writer's connection, opened here when there is none yet.</param>
        /// <param name="database">The database, for its generation and its space reserve.</param>
        public abstract void Run(ref SqliteConnection? connection, SqliteDatabase database);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool freesSpace, CancellationToken cancellationToken) : WriteItem
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(ref SqliteConnection? connection, SqliteDatabase database)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
                return;
            }

            if (TryRun(ref connection, database, out var failure))
            {
                if (freesSpace)
                {
                    database._reserve.TryRestore();
                }

                return;
            }

            // Out of room: a write that frees space may use the reserve, once.
            if (freesSpace && SpaceReserve.IsOutOfSpace(failure!) && database._reserve.TryRelease() && TryRun(ref connection, database, out var again))
            {
                return;
            }

            Completion.TrySetException(failure!);
        }

        private bool TryRun(ref SqliteConnection? connection, SqliteDatabase database, out Exception? failure)
        {
            failure = null;
            try
            {
                // Opened inside the try: on a full disk opening can fail too (the log is created), and that must fail
                // this write, not stop the writer thread.
                connection ??= database.Open();
                var started = Stopwatch.GetTimestamp();
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(connection, transaction);
                transaction.Commit();
                BerthMetrics.Committed("sqlite", started);

                // Before the caller hears of the commit, so that nothing it does next can be answered from a cache
                // filled before the commit (Storage/Caching).
                Interlocked.Increment(ref database._generation);
                Completion.TrySetResult(result);
                return true;
            }
            catch (Exception ex)
            {
                // A failed commit changed nothing as far as SQLite knows; moving on anyway costs only cache misses.
                Interlocked.Increment(ref database._generation);
                failure = ex;
                return false;
            }
        }
    }
}
