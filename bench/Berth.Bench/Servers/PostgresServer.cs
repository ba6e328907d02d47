using System.Diagnostics;
using System.Globalization;
using Berth.Bench.Processes;
using Npgsql;

namespace Berth.Bench.Servers;

/// <summary>
/// A throwaway PostgreSQL 15 cluster: initdb into a fresh dir, the server on 127.0.0.1 at a free port with fsync on
/// (as a real deployment runs it), one database for Berth. The server runs in the foreground as a child of the
/// harness, so an interrupted run ends it like every other server; disposing it shuts it down cleanly first.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "berth";
    private const string Database = "berth";

    private readonly BenchContext _context;
    private readonly string _dataDir;

    private PostgresServer(BenchContext context, ChildProcess process, string dataDir, int port)
    {
        _context = context;
        Process = process;
        _dataDir = dataDir;
        ConnectionString = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={Database}";
    }

    public ChildProcess Process { get; }

    /// <summary>The Npgsql connection string of the database Berth's nodes share.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync(BenchContext context)
    {
        var bin = context.Tools.PostgresBin ?? throw new InvalidOperationException("PostgreSQL 15 is missing");
        var dir = context.NewDir("postgres");
        var dataDir = Path.Combine(dir, "data");
        // initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user.
        if (IsRoot)
        {
            await RunAsync(context, "chown", ["postgres", dir], asPostgres: false);
        }

        await RunAsync(context, Path.Combine(bin, "initdb"), ["-D", dataDir, "-U", User, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], asPostgres: true);

        var port = Ports.Free();
        var (file, args) = AsPostgres(Path.Combine(bin, "postgres"),
        [
            "-D", dataDir, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-k", dir,
            "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "max_connections=300",
        ]);
        var process = ChildProcess.Start(file, args, dir);
        var server = new PostgresServer(context, process, dataDir, port);
        try
        {
            await server.WaitAndCreateDatabaseAsync(port);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fast shutdown (pg_ctl stop -m fast), then the process is ended if it is still there.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited && _context.Tools.PostgresBin is { } bin)
        {
            try
            {
                await RunAsync(_context, Path.Combine(bin, "pg_ctl"), ["-D", _dataDir, "-m", "fast", "-w", "stop"], asPostgres: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                BenchContext.Log("pg_ctl stop: " + ex.Message);
            }
        }

        await Process.DisposeAsync();
    }

    private async Task WaitAndCreateDatabaseAsync(int port)
    {
        var admin = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username={User};Database=postgres;Pooling=false";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited ({Process.ExitCode}) before accepting connections:\n{Process.Tail()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
                await create.ExecuteNonQueryAsync();
                return;
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task RunAsync(BenchContext context, string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var (command, arguments) = asPostgres ? AsPostgres(file, args) : (file, args);
        var (exit, output) = await ChildProcess.RunAsync(command, arguments, TimeSpan.FromMinutes(2), context.WorkDir);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited {exit}:\n{output}");
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static (string File, IReadOnlyList<string> Args) AsPostgres(string file, IReadOnlyList<string> args) =>
        IsRoot ? ("runuser", ["-u", "postgres", "--", file, .. args]) : (file, args);
}
