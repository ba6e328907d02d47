using System.Net;
using Berth.Bench.Processes;

namespace Berth.Bench;

/// <summary>What every workload shares: options, the work dir, one HTTP client, the tools found and the Berth build.</summary>
public sealed class BenchContext : IDisposable
{
    private int _dirs;

    public BenchContext(BenchOptions options, string repoRoot, string workDir, Tools tools)
    {
        Options = options;
        RepoRoot = repoRoot;
        WorkDir = workDir;
        Tools = tools;
        Http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 256,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TimeSpan.FromMinutes(10),
        };
    }

    public BenchOptions Options { get; }

    public string RepoRoot { get; }

    public string WorkDir { get; }

    public Tools Tools { get; }

    public HttpClient Http { get; }

    /// <summary>The published <c>berth</c> executable (set once the Release build is done).</summary>
    public string BerthExecutable { get; set; } = string.Empty;

    public string DockerRegistryVersion { get; set; } = "docker-registry";

    public string MotoVersion { get; set; } = "moto";

    /// <summary>The push ceilings the <c>limits</c> group measured, read by the blob push rows.</summary>
    public Measure.PushLimit PushLimit { get; } = new();

    /// <summary>A new, empty directory under the work dir (every server gets a fresh one).</summary>
    public string NewDir(string name)
    {
        var path = Path.Combine(WorkDir, $"{Interlocked.Increment(ref _dirs):D3}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public void Dispose() => Http.Dispose();
}
