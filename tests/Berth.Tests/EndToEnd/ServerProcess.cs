using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Tests.EndToEnd;

/// <summary>The real `berth serve` process on a free loopback port, with its own data dir.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly string _scheme;
    private Process? _process;

    private readonly string[] _moreArguments;
    private readonly IReadOnlyDictionary<string, string>? _environment;

    private ServerProcess(string dataDir, string auth, int port, Func<int, string[]>? moreArguments, IReadOnlyDictionary<string, string>? environment,
        string scheme = "http")
    {
        _scheme = scheme;
        DataDir = dataDir;
        Auth = auth;
        Port = port;
        _moreArguments = moreArguments?.Invoke(port) ?? [];
        _environment = environment;
    }

    public string DataDir { get; }

    public string Auth { get; }

    public int Port { get; }

    public string Endpoint => $"{_scheme}://127.0.0.1:{Port}";

    /// <summary>host:port, as image references name the registry.</summary>
    public string Registry => $"127.0.0.1:{Port}";

    /// <summary>Everything the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="dataDir">The data dir.</param>
    /// <param name="auth">The --auth setting.</param>
    /// <param name="moreArguments">More `serve` options, given the port (for a --public-url naming it).</param>
    /// <param name="environment">More variables for the process, such as <c>BERTH_STORAGE__*</c> settings.</param>
    public static async Task<ServerProcess> StartAsync(
        string dataDir, string auth = "sigv4", Func<int, string[]>? moreArguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = new ServerProcess(dataDir, auth, FreePort(), moreArguments, environment);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>What the server wrote to standard output alone, line by line.</summary>
    public IReadOnlyList<string> StandardOutputLines
    {
        get
        {
            lock (_output)
            {
                return _standardOutput.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>Starts the server on https (<paramref name="moreArguments"/> must give --tls-cert and --tls-key).</summary>
    public static async Task<ServerProcess> StartTlsAsync(
        string dataDir, string auth, Func<int, string[]> moreArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = new ServerProcess(dataDir, auth, FreePort(), moreArguments, environment, "https");
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>The key pair the first sigv4 start printed.</summary>
    public (string AccessKeyId, string SecretAccessKey) PrintedKey()
    {
        var match = PrintedKeyPattern().Match(Output);
        Assert.True(match.Success, "the server did not print a first access key:\n" + Output);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    /// <summary>Whether the process was started and has not exited.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a stopped process again on the same port, with the same options.</summary>
    public Task StartAgainAsync() =>
        _process is null ? StartProcessAsync() : throw new InvalidOperationException("the server is still running; stop it first");

    /// <summary>Stops the process (SIGKILL when <paramref name="kill"/>) and starts it again on the same port.</summary>
    public async Task RestartAsync(bool kill = false)
    {
        await StopAsync(kill);
        await StartProcessAsync();
    }

    /// <summary>Stops the process and returns its exit code.</summary>
    public async Task<int> StopAsync(bool kill = false)
    {
        if (_process is null)
        {
            return -1;
        }

        if (kill)
        {
            _process.Kill(entireProcessTree: true);
        }
        else
        {
            // SIGTERM, as Ctrl-C or a service manager would stop it.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
        var exitCode = _process.ExitCode;
        _process.Dispose();
        _process = null;
        return exitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task StartProcessAsync()
    {
        var berth = Path.Combine(AppContext.BaseDirectory, "berth.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { berth, "serve", "--listen", Endpoint, "--data-dir", DataDir, "--auth", Auth }.Concat(_moreArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        // Only whether it answers is asked here; the TLS tests check the certificate themselves.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("berth exited at start:\n" + Output);
            }

            try
            {
                using var response = await http.GetAsync(Endpoint + "/");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Refused while starting; or, on a loaded machine, a first TLS handshake slower than the timeout.
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("berth did not answer within 30 s:\n" + Output);
    }

    private void Append(string? line, bool standardOutput = false)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (standardOutput)
            {
                _standardOutput.Append(line).Append('\n');
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"aws_access_key_id\s+=\s+(\S+)\s+aws_secret_access_key\s+=\s+(\S+)")]
    private static partial Regex PrintedKeyPattern();
}
