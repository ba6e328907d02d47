using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>Debian's docker-registry (CNCF Distribution) on loopback over a temporary directory, for tests that need another registry.</summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    public const string Tool = "docker-registry";

    private readonly TempDirectory _data;
    private readonly Process _process;
    private bool _disposed;

    private DistributionRegistry(Process process, int port, TempDirectory data)
    {
        _process = process;
        _data = data;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public static async Task<DistributionRegistry> StartAsync()
    {
        var data = new TempDirectory();
        var port = FreePort();
        var config = Path.Combine(data.Path, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(data.Path, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var start = new ProcessStartInfo(Tools.FindOnPath(Tool) ?? "/usr/bin/docker-registry")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new DistributionRegistry(process, port, data);
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var answer = await http.GetAsync(new Uri($"{registry.Url}/v2/"));
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        await registry.DisposeAsync();
        throw new InvalidOperationException("docker-registry did not answer within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _data.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
