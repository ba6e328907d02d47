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

    // xUnit 2.9 reports a test whose exception message starts with this token as skipped, with the rest as reason.
    private const string DynamicSkip = "$XunitDynamicSkip$";

    /// <summary>The server's connection string; throws the skip (or, when required, a failure) when there is none.</summary>
    public static string ConnectionString()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString)
        {
            return connectionString;
        }

        var reason = $"needs PostgreSQL: set {Variable} to a connection string of a server where tests may create databases (.ci/postgres.sh starts one)";
        throw Environment.GetEnvironmentVariable("BERTH_E2E_REQUIRED") == "1"
            ? new InvalidOperationException(reason)
            : new InvalidOperationException(DynamicSkip + reason);
    }

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
