using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Debian's docker-registry (CNCF Distribution) over plain http on a free port, as a pull-through upstream. Its access
/// log is kept, so a test can count the requests it served.
/// </summary>
public sealed class UpstreamRegistry : IAsyncDisposable
{
    public const string Tool = "docker-registry";

    private readonly TempDirectory _data = new();
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private UpstreamRegistry(int port) => Port = port;

    public int Port { get; }

    /// <summary>host:port, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string Url => $"http://{Host}";

    public static async Task<UpstreamRegistry> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var registry = new UpstreamRegistry(port);
        await File.WriteAllTextAsync(Path.Combine(registry._data.Path, "config.yml"), $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(registry._data.Path, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        await registry.StartAgainAsync();
        return registry;
    }

    /// <summary>Starts the registry (again, after <see cref="StopAsync"/>) on the same port and storage.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(Path.Combine(_data.Path, "config.yml"));
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url + "/v2/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("docker-registry did not start: " + string.Join('\n', _log));
    }

    /// <summary>How many requests of <paramref name="method"/> whose path contains <paramref name="fragment"/> it served.</summary>
    public int Served(string method, string fragment) =>
        _log.Count(line => line.Contains($"\"{method} /v2/", StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _data.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }
}
