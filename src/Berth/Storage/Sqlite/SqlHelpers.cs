using Berth.Domain;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Small ADO.NET conveniences shared by the SQLite stores.</summary>
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

    public static DateTimeOffset FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    public static long? FindRepositoryId(SqliteConnection connection, SqliteTransaction? transaction, RepositoryKey key)
    {
        using var command = Command(connection, transaction, "SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
        AddKey(command, key);
        return command.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>A command with positional values bound to $p0, $p1, ... in order.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] values)
    {
        var command = Command(connection, transaction, sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(ParameterNames[i], values[i] ?? DBNull.Value);
        }

        return command;
    }

    public static bool Exists(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return command.ExecuteScalar() is not null;
    }

    public static int NonQuery(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return command.ExecuteNonQuery();
    }

    private static readonly string[] ParameterNames = ["$p0", "$p1", "$p2", "$p3", "$p4", "$p5", "$p6", "$p7", "$p8", "$p9", "$p10", "$p11", "$p12"];

    public static void AddKey(SqliteCommand command, RepositoryKey key)
    {
        command.Parameters.AddWithValue("$account", key.AccountId);
        command.Parameters.AddWithValue("$region", key.Region);
        command.Parameters.AddWithValue("$name", key.Name);
    }
}
