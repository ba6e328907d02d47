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
        await LeftoversSwept.Value;
        var name = $"berth_test_{Environment.ProcessId}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} STRATEGY FILE_COPY", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString()) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// An emptied database from an earlier test of this run, or a new one: creating a database costs PostgreSQL two
    /// checkpoints, emptying one a single TRUNCATE, and the suites make a store per test.
    /// </summary>
    public static async Task<string> RentDatabaseAsync() => Emptied.TryTake(out var reused) ? reused : await CreateDatabaseAsync();

    /// <summary>Empties a rented database (every table but schema_migrations) and keeps it for the next test.</summary>
    public static async Task ReturnDatabaseAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var truncate = new NpgsqlCommand("""
                DO $$ BEGIN
                  EXECUTE (SELECT 'TRUNCATE ' || string_agg(quote_ident(tablename), ', ') || ' RESTART IDENTITY CASCADE'
                           FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations');
                END $$
                """, connection);
            await truncate.ExecuteNonQueryAsync();
        }

        Emptied.Add(connectionString);
    }

    /// <summary>Databases emptied and kept for reuse; dropped when the test process exits.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Emptied = CreatePool();

    private static System.Collections.Concurrent.ConcurrentBag<string> CreatePool()
    {
        var pool = new System.Collections.Concurrent.ConcurrentBag<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            while (pool.TryTake(out var connectionString))
            {
                DropDatabaseAsync(connectionString).GetAwaiter().GetResult();
            }
        };
        return pool;
    }

    private static readonly Lazy<Task> LeftoversSwept = new(SweepLeftoversAsync);

    /// <summary>
    /// Drops the databases that earlier test processes on this machine kept for reuse and could not drop as they
    /// exited (the test host may end before its exit handlers finish); a process still running keeps its own.
    /// </summary>
    private static async Task SweepLeftoversAsync()
    {
        var leftovers = new List<string>();
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'berth\\_test\\_%'", connection);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                if (name.Split('_') is [_, _, var pid, _] && int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}"))
                {
                    leftovers.Add(name);
                }
            }
        }

        foreach (var name in leftovers)
        {
            await DropDatabaseAsync(new NpgsqlConnectionStringBuilder(ConnectionString()) { Database = name }.ConnectionString);
        }
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
