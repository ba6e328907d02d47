using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Tests.Storage.Postgres;
using Berth.Tests.Storage.S3;
using Berth.Tests.Support;
using Npgsql;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Two real `berth serve` processes, A and B, on two ports over one fresh PostgreSQL database and one S3 bucket (under
/// a prefix of their own), with a one-second lifecycle schedule and a three-second job lease. Started on first use, so
/// a class whose servers are not configured skips without touching them.
/// </summary>
public sealed partial class TwoNodeFixture : IAsyncLifetime
{
    /// <summary>How long a job lease outlives a dead holder here: short, so a handover fits in a test.</summary>
    public static readonly TimeSpan JobLeaseTtl = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly TempDirectory _shared = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, HttpClient> _ecrClients = new();
    private string? _database;
    private string? _bucket;

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    /// <summary>The first access key, which A printed when it started on the empty database.</summary>
    public SigV4Credentials Key { get; private set; } = null!;

    /// <summary>A registry password (GetAuthorizationToken through A), which B accepts as well.</summary>
    public string Password { get; private set; } = null!;

    /// <summary>The S3 bucket both nodes keep blobs and uploads in.</summary>
    public string Bucket => _bucket ??= TestS3.Bucket(typeof(TwoNodeFixture));

    /// <summary>The key prefix of this fixture's objects in <see cref="Bucket"/>.</summary>
    public string Prefix { get; } = "two-nodes-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts both nodes once, and again any node a test left stopped.</summary>
    public async Task EnsureRunningAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_database is null)
            {
                await StartAsync();
            }

            foreach (var node in new[] { A, B })
            {
                if (!node.IsRunning)
                {
                    await node.StopAsync();
                    await node.StartAgainAsync();
                }
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>An ECR client signed with the first key, talking to <paramref name="node"/>.</summary>
    public EcrClient Ecr(ServerProcess node)
    {
        var http = _ecrClients.GetOrAdd(node.Port, static port =>
        {
            // The test signer signs a relative request for host "localhost", so that is the Host sent.
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Host = "localhost";
            return client;
        });
        return new EcrClient(http, Key.AccountId, "us-east-1", Key);
    }

    /// <summary>An HTTP client for <paramref name="node"/> that sends the registry password on every request.</summary>
    public HttpClient Http(ServerProcess node)
    {
        var http = new HttpClient { BaseAddress = new Uri(node.Endpoint), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + Password)));
        return http;
    }

    /// <summary>The holder id <paramref name="node"/> logged when it last took the lease of <paramref name="job"/>, if it ever did.</summary>
    public static string? LastHolderId(ServerProcess node, string job) =>
        LeaseTakenPattern().Matches(node.Output).LastOrDefault(m => m.Groups[2].Value == job)?.Groups[1].Value;

    /// <summary>Who holds the lease of <paramref name="job"/> in the shared database now (an expired holder included).</summary>
    public async Task<string?> LeaseHolderAsync(string job)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT holder FROM leases WHERE name = @name", connection);
        query.Parameters.AddWithValue("name", job);
        return await query.ExecuteScalarAsync() as string;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(_database);
        }

        foreach (var client in _ecrClients.Values)
        {
            client.Dispose();
        }

        _shared.Dispose();
        _starting.Dispose();
    }

    private async Task StartAsync()
    {
        TestS3.EnsureCredentials();
        var environment = new Dictionary<string, string>
        {
            ["BERTH_STORAGE__METADATA__TYPE"] = "postgres",
            ["BERTH_STORAGE__METADATA__POSTGRES__CONNECTION_STRING"] = await TestPostgres.CreateDatabaseAsync(),
            ["BERTH_STORAGE__BLOBS__TYPE"] = "s3",
            ["BERTH_STORAGE__BLOBS__S3__SERVICE_URL"] = TestS3.Endpoint(),
            ["BERTH_STORAGE__BLOBS__S3__BUCKET"] = Bucket,
            ["BERTH_STORAGE__BLOBS__S3__REGION"] = "us-east-1",
            ["BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE"] = "true",
            ["BERTH_STORAGE__BLOBS__S3__PREFIX"] = Prefix,
            ["BERTH_LIFECYCLE_INTERVAL"] = "1s",
            ["BERTH_JOB_LEASE_TTL"] = $"{JobLeaseTtl.TotalSeconds}s",

            // The one key every node must share (the signing key lives sealed in the database under it).
            ["BERTH_SECRETS_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        _database = environment["BERTH_STORAGE__METADATA__POSTGRES__CONNECTION_STRING"];

        // A first, alone on the empty database, so exactly one node creates and prints the first key.
        A = await ServerProcess.StartAsync(DataDirOf("a"), environment: environment);
        var (keyId, secret) = A.PrintedKey();
        Key = new SigV4Credentials(keyId, secret, "000000000000");
        B = await ServerProcess.StartAsync(DataDirOf("b"), environment: environment);
        var token = (await Ecr(A).OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        Password = Encoding.UTF8.GetString(Convert.FromBase64String(token))["AWS:".Length..];
    }

    /// <summary>
    /// The data dir of node <paramref name="node"/>: one per node, as on separate machines. Nothing a request needs is
    /// in it: the signing key is in the database and the secrets key comes from the environment.
    /// </summary>
    private string DataDirOf(string node) =>
        node is "a" or "b" ? Directory.CreateDirectory(Path.Combine(_shared.Path, node)).FullName : throw new ArgumentOutOfRangeException(nameof(node));

    [GeneratedRegex(@"This node \((\S+)\) now runs the (\S+) job")]
    private static partial Regex LeaseTakenPattern();
}
