using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Berth.Domain;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>Small ADO.NET conveniences shared by the PostgreSQL stores.</summary>
/// <remarks>
/// The statements name their parameters <c>$name</c>, as the SQLite stores' do, so the two read alike side by side;
/// they are rewritten once to Npgsql's <c>@name</c>.
/// </remarks>
internal static partial class PgSql
{
    private static readonly string[] ParameterNames = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12"];

    private static readonly ConcurrentDictionary<string, string> Rewritten = new(StringComparer.Ordinal);

    /// <summary>A command for <paramref name="sql"/>; dispose it after use.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) =>
        new(Rewritten.GetOrAdd(sql, static text => Placeholder().Replace(text, "@$1")), connection, transaction);

    /// <summary>A command with positional values bound to $p0, $p1, ... in order.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = Command(connection, transaction, sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(ParameterNames[i], values[i] ?? DBNull.Value);
        }

        return command;
    }

    public static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    public static bool Exists(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return command.ExecuteScalar() is not null;
    }

    public static int NonQuery(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return command.ExecuteNonQuery();
    }

    public static DateTimeOffset FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    public static long? FindRepositoryId(NpgsqlConnection connection, NpgsqlTransaction? transaction, RepositoryKey key)
    {
        using var command = Command(connection, transaction, "SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
        AddKey(command, key);
        return command.ExecuteScalar() is long id ? id : null;
    }

    public static void AddKey(NpgsqlCommand command, RepositoryKey key)
    {
        command.Parameters.AddWithValue("account", key.AccountId);
        command.Parameters.AddWithValue("region", key.Region);
        command.Parameters.AddWithValue("name", key.Name);
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Placeholder();
}
