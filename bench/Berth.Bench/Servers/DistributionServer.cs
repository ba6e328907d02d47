using System.Diagnostics;
using Berth.Bench.Processes;

namespace Berth.Bench.Servers;

/// <summary>Debian's docker-registry (CNCF Distribution 2.8) with filesystem storage in a fresh dir.</summary>
public sealed class DistributionServer : Server
{
    private DistributionServer(ChildProcess process, Uri baseUri, string dataDir, TimeSpan startup)
        : base(process, baseUri, dataDir) => StartupTime = startup;

    public TimeSpan StartupTime { get; }

    public static async Task<DistributionServer> StartAsync(BenchContext context, string dataDir)
    {
        var executable = context.Tools.DockerRegistry ?? throw new InvalidOperationException("docker-registry is missing");
        Directory.CreateDirectory(dataDir);
        var port = Ports.Free();
        var config = Path.Combine(dataDir, "config.yml");
        var storage = Path.Combine(dataDir, "storage");
        // Debian's shipped settings (in-memory blob descriptor cache) with the access log off, as Berth logs no requests.
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
            http:
              addr: 127.0.0.1:{port}
            """);
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(executable, ["serve", config], workingDirectory: dataDir);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        try
        {
            var startup = await WaitUntilAnsweringAsync(context.Http, process, new Uri(baseUri, "/v2/"), TimeSpan.FromSeconds(30), clock);
            return new DistributionServer(process, baseUri, dataDir, startup);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
