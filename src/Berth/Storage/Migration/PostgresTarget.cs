using System.Data.Common;
using Berth.Hosting.Composition;
using Npgsql;
using NpgsqlTypes;

namespace Berth.Storage.Migration;

/// <summary>
/// The PostgreSQL database a registry moves into, already migrated to the current schema. Rows arrive through binary
/// COPY in one transaction that holds every table locked, so the target is either untouched or complete.
/// </summary>
public sealed class PostgresTarget(string connectionString)
{
    /// <summary>A column of the target: its name, its PostgreSQL type and whether it is an identity column.</summary>
    public readonly record struct Column(string Name, string Type, bool IsIdentity);

    /// <summary>The columns of <paramref name="table"/>, by name; empty when there is no such table.</summary>
    public async Task<IReadOnlyDictionary<string, Column>> ListColumnsAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT column_name, data_type, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1
            """, connection);
        command.Parameters.AddWithValue(table);
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            columns[name] = new Column(name, reader.GetString(1), reader.GetString(2) == "YES");
        }

        return columns;
    }

    /// <summary>The tables of <paramref name="tables"/> that hold rows, with their counts.</summary>
    public async Task<IReadOnlyList<(string Table, long Rows)>> ListNonEmptyAsync(IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ListNonEmptyAsync(connection, null, tables, cancellationToken);
    }

    /// <summary>
    /// Locks <paramref name="locked"/>, checks again that they are empty (else returns their counts and writes
    /// nothing), copies every table of <paramref name="copies"/> in order, moves each identity past the copied ids,
    /// and commits once.
    /// </summary>
    /// <returns>The rows copied per table, or (nothing copied) the tables that already held rows.</returns>
    public async Task<(IReadOnlyList<(string Table, long Rows)> Copied, IReadOnlyList<(string Table, long Rows)> Taken)> CopyAsync(
        IReadOnlyList<string> locked, IReadOnlyList<TableCopy> copies, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Nodes started on the target too early would write beside the copy: they wait for the commit instead.
        await ExecuteAsync(connection, transaction, $"LOCK TABLE {string.Join(", ", locked.Select(SqliteSource.Quote))} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        if (await ListNonEmptyAsync(connection, transaction, locked, cancellationToken) is { Count: > 0 } taken)
        {
            return ([], taken);
        }

        var copied = new List<(string, long)>();
        foreach (var copy in copies)
        {
            if (MigrationTables.Replaced.Contains(copy.Table))
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM {SqliteSource.Quote(copy.Table)}", cancellationToken);
            }

            copied.Add((copy.Table, await CopyTableAsync(connection, copy, cancellationToken)));
            foreach (var column in copy.Columns)
            {
                if (column.IsIdentity)
                {
                    var table = SqliteSource.Quote(copy.Table);
                    var name = SqliteSource.Quote(column.Name);
                    await ExecuteAsync(connection, transaction,
                        $"SELECT setval(pg_get_serial_sequence('{copy.Table}', '{column.Name}'), COALESCE(MAX({name}), 0) + 1, false) FROM {table}",
                        cancellationToken);
                }
            }
        }

        // Nodes already listening drop what they cached of the empty database.
        await ExecuteAsync(connection, transaction, $"NOTIFY {Postgres.PostgresChangeSignal.Channel}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (copied, []);
    }

    private static async Task<long> CopyTableAsync(NpgsqlConnection connection, TableCopy copy, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", copy.Columns.Select(column => SqliteSource.Quote(column.Name)));
        await using var rows = await copy.OpenRows(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {SqliteSource.Quote(copy.Table)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < copy.Columns.Count; i++)
            {
                await WriteAsync(importer, copy.Table, copy.Columns[i], rows.GetValue(i), cancellationToken);
            }
        }

        return (long)await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Writes one SQLite value as its target column's type, refusing anything that would not survive unchanged.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter importer, string table, Column column, object value, CancellationToken cancellationToken) =>
        (column.Type, value) switch
        {
            (_, DBNull) => importer.WriteNullAsync(cancellationToken),
            ("bigint", long number) => importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken),
            ("integer", long number) when number is >= int.MinValue and <= int.MaxValue =>
                importer.WriteAsync((int)number, NpgsqlDbType.Integer, cancellationToken),
            ("text", string text) => importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken),
            ("bytea", byte[] bytes) => importer.WriteAsync(bytes, NpgsqlDbType.Bytea, cancellationToken),
            _ => throw new MigrationRefusedException(
                $"berth: {table}.{column.Name} holds a value ({value.GetType().Name}) that the target's {column.Type} column cannot take unchanged; nothing was written to the database"),
        };

    private static async Task<IReadOnlyList<(string Table, long Rows)>> ListNonEmptyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var taken = new List<(string, long)>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM {SqliteSource.Quote(table)}", connection, transaction);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! is > 0 and var rows)
            {
                taken.Add((table, rows));
            }
        }

        return taken;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>One table to copy: its target columns in the order <paramref name="OpenRows"/> yields their values.</summary>
public sealed record TableCopy(string Table, IReadOnlyList<PostgresTarget.Column> Columns, Func<CancellationToken, Task<DbDataReader>> OpenRows);
