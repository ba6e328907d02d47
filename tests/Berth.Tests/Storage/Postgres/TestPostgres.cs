using Npgsql;

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// The PostgreSQL server the tests use: <c>BERTH_TEST_POSTGRES</c>, a connection string to a server where the tests may
/// CREATE DATABASE (.ci/postgres.sh starts one). Unset, the tests skip with that reason, or fail when
/// BERTH_E2E_REQUIRED=1.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "BERTH_TEST_POSTGRES";

    /// <summary>
    /// Why the PostgreSQL tests are skipped (no server configured), or null when they run: with a server, or when
    /// BERTH_E2E_REQUIRED=1, where a missing server fails them instead.
    /// </summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") == "1"
            ? null
            : $"needs PostgreSQL: set {Variable} to a connection string of a server where tests may create databases (.ci/postgres.sh starts one)";

    /// <summary>The server's connection string.</summary>
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException($"needs PostgreSQL: {Variable} is not set (BERTH_E2E_REQUIRED=1 makes that a failure)");

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        // No pooling of the admin connection, so nothing stays open on the server between test classes.
        var server = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false };
        var name = "berth_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} STRATEGY FILE_COPY", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString()) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var server = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
