using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Keeps each connection's commands prepared between uses. Preparing (parsing and planning) cost more than running the
/// indexed query itself: it was a third of a manifest GET's CPU (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// A command is keyed by its SQL text on its connection; a connection is used by one caller at a time (the reader pool,
/// the writer thread), so the cache needs no lock. Disposing a rented command returns it instead of finalizing its
/// statement. SQL built with a variable number of parameters would grow the cache without end, so it holds at most
/// <see cref="Capacity"/> texts and prepares the rest afresh each time. Only connections that
/// <see cref="SqliteDatabase"/> opened have a cache, and it finalizes the statements (<see cref="Close"/>) before the
/// connection closes, so a closed connection never lingers with statements still open.
/// </remarks>
internal sealed class StatementCache
{
    private const int Capacity = 96;

    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Caches = [];

    private readonly Dictionary<string, CachedCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Gives a newly opened connection its cache.</summary>
    public static void Attach(SqliteConnection connection) => Caches.Add(connection, new StatementCache());

    /// <summary>Finalizes the connection's cached statements, then closes it.</summary>
    public static void Close(SqliteConnection connection)
    {
        if (Caches.TryGetValue(connection, out var cache))
        {
            Caches.Remove(connection);
            foreach (var command in cache._commands.Values)
            {
                command.Release();
            }

            cache._commands.Clear();
        }

        connection.Dispose();
    }

    /// <summary>A command for <paramref name="sql"/> on the connection, prepared already if it ran there before.</summary>
    public static SqliteCommand Rent(SqliteConnection connection, string sql)
    {
        if (!Caches.TryGetValue(connection, out var cache))
        {
            return new SqliteCommand(sql, connection);
        }

        if (cache._commands.TryGetValue(sql, out var command))
        {
            if (command.InUse)
            {
                // Nested use of the same statement (a reader still open): an unshared command for this one.
                return new SqliteCommand(sql, connection);
            }
        }
        else if (cache._commands.Count < Capacity)
        {
            command = new CachedCommand(sql, connection);
            cache._commands.Add(sql, command);
        }
        else
        {
            return new SqliteCommand(sql, connection);
        }

        command.InUse = true;
        return command;
    }

    private sealed class CachedCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private bool _released;

        public bool InUse { get; set; }

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _released)
            {
                base.Dispose(disposing);
                return;
            }

            // Back to the cache, statement kept; the next user binds its own values and transaction.
            Parameters.Clear();
            Transaction = null;
            InUse = false;
        }
    }
}
