using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>
/// One connection, and in a write its transaction, as a shared store's work sees it: commands made and bound through
/// the database's dialect. Valid only inside the read or write callback that received it.
/// </summary>
internal readonly struct SqlSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    public SqlDialect Dialect => dialect;

    /// <summary>A command for <paramref name="sql"/>; dispose it after use (on SQLite that keeps it prepared).</summary>
    public DbCommand Command(string sql) => dialect.Command(connection, transaction, sql);

    /// <summary>A command with positional values bound to $p0, $p1, ... in order.</summary>
    public DbCommand Command(string sql, params object?[] values)
    {
        var command = Command(sql);
        for (var i = 0; i < values.Length; i++)
        {
            dialect.Bind(command, i, values[i]);
        }

        return command;
    }

    /// <summary>Binds <paramref name="value"/> to the parameter the statement writes <paramref name="name"/> (with its <c>$</c>).</summary>
    public void Bind(DbCommand command, string name, object? value) => dialect.Bind(command, name, value);

    public void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    public int NonQuery(string sql, params object?[] values)
    {
        using var command = Command(sql, values);
        return command.ExecuteNonQuery();
    }

    public bool Exists(string sql, params object?[] values)
    {
        using var command = Command(sql, values);
        return command.ExecuteScalar() is not null;
    }

    public long? FindRepositoryId(RepositoryKey key)
    {
        using var command = Command("SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
        AddKey(command, key);
        return command.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>
    /// Stores <paramref name="text"/> as the <c>policy_text</c> of <paramref name="repository"/>'s one row in
    /// <paramref name="table"/> (a repository policy, a lifecycle policy); false when there is no such repository.
    /// </summary>
    public bool PutPolicyText(string table, RepositoryKey repository, string text)
    {
        if (FindRepositoryId(repository) is not { } id)
        {
            return false;
        }

        NonQuery(
            $"INSERT INTO {table} (repository_id, policy_text) VALUES ($p0, $p1) ON CONFLICT (repository_id) DO UPDATE SET policy_text = excluded.policy_text",
            id,
            text);
        return true;
    }

    /// <summary>Binds a repository's key to <c>$account</c>, <c>$region</c> and <c>$name</c>.</summary>
    public void AddKey(DbCommand command, RepositoryKey key)
    {
        dialect.Bind(command, "$account", key.AccountId);
        dialect.Bind(command, "$region", key.Region);
        dialect.Bind(command, "$name", key.Name);
    }

    public static DateTimeOffset FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
