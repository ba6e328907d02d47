using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Migration;

/// <summary>
/// The registry being moved, read in one read transaction, so the blobs and every table are copied from the same
/// snapshot even if an admin command writes to the data dir meanwhile.
/// </summary>
public sealed class SqliteSource : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _snapshot;

    private SqliteSource(SqliteConnection connection, SqliteTransaction snapshot)
    {
        _connection = connection;
        _snapshot = snapshot;
    }

    /// <summary>Opens the database file read-only and starts the snapshot.</summary>
    public static async Task<SqliteSource> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        var snapshot = connection.BeginTransaction(deferred: true);
        // A deferred transaction takes its snapshot at the first read; read now, so later reads all see this moment.
        await using (var first = Command(connection, snapshot, "SELECT COUNT(*) FROM sqlite_master"))
        {
            await first.ExecuteScalarAsync(cancellationToken);
        }

        return new SqliteSource(connection, snapshot);
    }

    /// <summary>The schema's tables (SQLite's own excluded), by name.</summary>
    public async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = Command(_connection, _snapshot,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The columns of <paramref name="table"/>, in their declared order.</summary>
    public async Task<IReadOnlyList<string>> ListColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        await using var command = Command(_connection, _snapshot, "SELECT name FROM pragma_table_info($table) ORDER BY cid");
        command.Parameters.AddWithValue("$table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = Command(_connection, _snapshot, $"SELECT COUNT(*) FROM {Quote(table)}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every row of <paramref name="table"/>, with <paramref name="columns"/> in that order; the caller disposes the reader.</summary>
    public async Task<DbDataReader> ReadRowsAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var command = Command(_connection, _snapshot, $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)}");
        return await command.ExecuteReaderAsync(System.Data.CommandBehavior.Default, cancellationToken);
    }

    /// <summary>The digests the blobs table records, in digest order.</summary>
    public async Task<IReadOnlyList<string>> ListBlobDigestsAsync(CancellationToken cancellationToken)
    {
        var digests = new List<string>();
        await using var command = Command(_connection, _snapshot, "SELECT digest FROM blobs ORDER BY digest");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            digests.Add(reader.GetString(0));
        }

        return digests;
    }

    /// <summary>Quotes an identifier for either database (table and column names come from the schema, never from a user).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async ValueTask DisposeAsync()
    {
        await _snapshot.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
