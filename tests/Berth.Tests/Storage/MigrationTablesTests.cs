using Berth.Storage.Migration;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.Storage;

/// <summary>
/// Keeps `berth migrate` in step with the schema: a table a new SQLite migration adds must be listed in
/// <see cref="MigrationTables"/> as copied (with its PostgreSQL twin) or left behind with a reason, or this fails.
/// </summary>
public sealed class MigrationTablesTests
{
    [Fact]
    public async Task Every_table_of_the_SQLite_schema_is_either_copied_or_left_behind_by_migrate()
    {
        await using var stores = new SqliteStores();
        await stores.Open().MigrateAsync(CancellationToken.None);

        var tables = await ListTablesAsync(stores);

        var handled = MigrationTables.Copied.Concat(MigrationTables.LeftBehind.Keys).Order(StringComparer.Ordinal);
        Assert.Equal(handled, tables);
    }

    [Fact]
    public void No_table_is_both_copied_and_left_behind_or_copied_twice()
    {
        Assert.Equal(MigrationTables.Copied.Count, MigrationTables.Copied.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(MigrationTables.Copied, MigrationTables.LeftBehind.ContainsKey);
    }

    private static async Task<List<string>> ListTablesAsync(SqliteStores stores)
    {
        var tables = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={stores.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        tables.Sort(StringComparer.Ordinal);
        return tables;
    }
}
