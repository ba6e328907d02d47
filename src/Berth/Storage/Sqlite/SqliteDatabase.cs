using System.Collections.Concurrent;
using System.Threading.Channels;
using Berth.Storage.Caching;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Owns the connections to one SQLite file. Reads run on pooled, already-open connections; writes are
/// serialised on one dedicated thread, because SQLite admits one writer at a time and its fsync must not
/// block request threads.
/// </summary>
public sealed class SqliteDatabase : IChangeSignal, IAsyncDisposable
{
    private const int MaxIdleReaders = 16;

    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writerThread;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    public SqliteDatabase(string path)
    {
        Path = path;
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

    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        if (!_readers.TryTake(out var connection))
        {
            connection = Open();
        }

        try
        {
            return work(connection);
        }
        finally
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
    }

    /// <summary>Runs <paramref name="work"/> inside one IMMEDIATE transaction on the writer thread.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(item), this);

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
                    connection ??= Open();
                    item.Run(connection, this);
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
        public abstract void Run(SqliteConnection connection, SqliteDatabase database);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) : WriteItem
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteConnection connection, SqliteDatabase database)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(connection, transaction);
                transaction.Commit();

                // Before the caller hears of the commit, so that nothing it does next can be answered from a cache
                // filled before the commit (Storage/Caching).
                Interlocked.Increment(ref database._generation);
                Completion.TrySetResult(result);
            }
            catch (Exception ex)
            {
                // A failed commit changed nothing as far as SQLite knows; moving on anyway costs only cache misses.
                Interlocked.Increment(ref database._generation);
                Completion.TrySetException(ex);
            }
        }
    }
}
