using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Commands on SQLite connections, for the migrations and <see cref="SqliteDialect"/>.</summary>
internal static class SqlHelpers
{
    /// <summary>A command for <paramref name="sql"/>, prepared already if it ran on this connection before; dispose it after use.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = StatementCache.Rent(connection, sql);
        command.Transaction = transaction;
        return command;
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}
