using System.Diagnostics;
using Berth.Bench.Processes;

namespace Berth.Bench.Servers;

/// <summary>Debian's docker-registry (CNCF Distribution 2.8) in a fresh dir, on filesystem storage or an S3 bucket.</summary>
public sealed class DistributionServer : Server
{
    private DistributionServer(ChildProcess process, Uri baseUri, string dataDir, TimeSpan startup)
        : base(process, baseUri, dataDir) => StartupTime = startup;

    public TimeSpan StartupTime { get; }

    /// <summary>Filesystem storage under the data dir.</summary>
    public static Task<DistributionServer> StartAsync(BenchContext context, string dataDir) =>
        StartAsync(context, dataDir, $"""
              filesystem:
                rootdirectory: {Path.Combine(dataDir, "storage")}
            """);

    /// <summary>
    /// The <c>s3</c> storage driver on <paramref name="bucket"/> of an S3-compatible server. Pulls are served through the
    /// registry (redirect off), as Berth serves them by default, so both sides move the same bytes; a custom endpoint
    /// makes the 2.8 driver use path-style addressing.
    /// </summary>
    public static Task<DistributionServer> StartOnS3Async(BenchContext context, string dataDir, Uri endpoint, string bucket, S3Account account) =>
        StartAsync(context, dataDir, $"""
              s3:
                regionendpoint: {endpoint.ToString().TrimEnd('/')}
                region: {account.Region}
                bucket: {bucket}
                accesskey: {account.AccessKeyId}
                secretkey: {account.SecretAccessKey}
                secure: false
                v4auth: true
                rootdirectory: /
              redirect:
                disable: true
            """,
            // The 2.8 driver's AWS SDK refuses to start when AWS_CA_BUNDLE names a bundle ("unsupported transport"); the
            // server is plain HTTP on loopback, so no bundle applies, and an empty value means none.
            new Dictionary<string, string> { ["AWS_CA_BUNDLE"] = string.Empty });

    private static async Task<DistributionServer> StartAsync(BenchContext context, string dataDir, string storageDriver, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = context.Tools.DockerRegistry ?? throw new InvalidOperationException("docker-registry is missing");
        Directory.CreateDirectory(dataDir);
        var port = Ports.Free();
        var config = Path.Combine(dataDir, "config.yml");
        // Debian's shipped settings (in-memory blob descriptor cache) with the access log off, as Berth logs no requests.
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
            {storageDriver}
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
            http:
              addr: 127.0.0.1:{port}
            """);
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(executable, ["serve", config], dataDir, environment);
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
