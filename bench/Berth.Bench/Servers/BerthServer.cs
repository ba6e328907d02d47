using System.Diagnostics;
using Berth.Bench.Http;
using Berth.Bench.Processes;

namespace Berth.Bench.Servers;

/// <summary>The published Release build of Berth, serving one fresh data dir.</summary>
public sealed class BerthServer : Server
{
    private BerthServer(ChildProcess process, Uri baseUri, string dataDir, SigV4Credentials? credentials, TimeSpan startup)
        : base(process, baseUri, dataDir)
    {
        Credentials = credentials;
        StartupTime = startup;
    }

    /// <summary>The key printed at first start in sigv4 mode; null with <c>--auth none</c>.</summary>
    public SigV4Credentials? Credentials { get; }

    /// <summary>From process start to the first answered HTTP request.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>
    /// Starts <c>berth serve</c>; in sigv4 mode on an empty key table it reads the printed key. <paramref name="environment"/>
    /// adds variables for the process: the <c>BERTH_STORAGE__*</c> settings of another backend. <paramref name="executable"/>
    /// replaces the published Release build (the Native AOT build in the <c>startup</c> group). <paramref name="settings"/>
    /// are further <c>serve</c> options (<c>--metrics off</c>).
    /// </summary>
    public static async Task<BerthServer> StartAsync(
        BenchContext context, string dataDir, bool sigV4, IReadOnlyDictionary<string, string>? environment = null, string? executable = null,
        IReadOnlyList<string>? settings = null)
    {
        var port = Ports.Free();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(
            executable ?? context.BerthExecutable,
            ["serve", "--listen", baseUri.ToString().TrimEnd('/'), "--data-dir", dataDir, "--auth", sigV4 ? "sigv4" : "none", .. settings ?? []],
            workingDirectory: context.WorkDir,
            environment);
        try
        {
            var startup = await WaitUntilAnsweringAsync(context.Http, process, new Uri(baseUri, "/v2/"), TimeSpan.FromSeconds(60), clock);
            SigV4Credentials? credentials = null;
            if (sigV4)
            {
                var id = await process.WaitForLineAsync(l => l.Contains("aws_access_key_id", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                var secret = await process.WaitForLineAsync(l => l.Contains("aws_secret_access_key", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                credentials = new SigV4Credentials(ValueOf(id), ValueOf(secret));
            }

            return new BerthServer(process, baseUri, dataDir, credentials, startup);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>An ECR client signed with this server's key (any key in auth-none mode).</summary>
    public EcrClient Ecr(BenchContext context) => new(context.Http, BaseUri, Credentials ?? new SigV4Credentials("000000000000", "unused"));

    private static string ValueOf(string line) => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
}
