using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Berth.Hosting;
using Berth.Tests.Architecture;
using Berth.Tests.Storage.Postgres;
using Berth.Tests.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// The nginx configuration of the README ("Running several nodes"), read from the README itself, in front of two
/// `berth serve` processes on one PostgreSQL database and one bucket: the aws CLI and skopeo work through it, and
/// nginx spreads the requests over both nodes.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed partial class NginxEndToEndTests : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private string? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await TestPostgres.DropDatabaseAsync(_database);
        }

        _work.Dispose();
    }

    [E2EFact(Tools.Nginx, Tools.Skopeo, Tools.Aws)]
    public async Task Skopeo_pushes_and_pulls_through_the_documented_nginx_in_front_of_two_nodes()
    {
        TestS3.EnsureCredentials();
        _database = await TestPostgres.CreateDatabaseAsync();
        var nginxPort = FreePort();
        var publicUrl = $"http://127.0.0.1:{nginxPort}";
        var storage = SharedStorage.Environment(_database, TestS3.Bucket(GetType()), "nginx-" + Guid.NewGuid().ToString("N")[..8]);
        storage["BERTH_PUBLIC_URL"] = publicUrl;
        storage["BERTH_TRUSTED_PROXIES"] = "127.0.0.1";

        // As the document says: the first node alone, then the second with a copy of its secrets key.
        var dataA = Directory.CreateDirectory(Path.Combine(_work.Path, "berth-a")).FullName;
        var dataB = Directory.CreateDirectory(Path.Combine(_work.Path, "berth-b")).FullName;
        await using var nodeA = await ServerProcess.StartAsync(dataA, environment: storage);
        var (keyId, secret) = nodeA.PrintedKey();
        File.Copy(Path.Combine(dataA, SigningKeyFile.SecretsFileName), Path.Combine(dataB, SigningKeyFile.SecretsFileName));
        await using var nodeB = await ServerProcess.StartAsync(dataB, environment: storage);

        using var nginx = await StartNginxAsync(nginxPort, nodeA.Registry, nodeB.Registry);

        // SigV4 through the proxy holds only if nginx passes the client's Host header on.
        var aws = new AwsCli(publicUrl, keyId, secret);
        aws.Ok("create-repository", "--repository-name", "behind/nginx");
        var login = aws.Run("get-login-password");
        Assert.True(login.ExitCode == 0, login.ToString());

        var layout = new OciLayoutBuilder(Path.Combine(_work.Path, "layout"));
        var image = layout.AddImage("v1", ImageFlavor.Oci, layers: 3, bytesPerLayer: (6 * 1024 * 1024) + 7);
        using var skopeo = new Skopeo(login.StandardOutput.Trim());
        var target = $"docker://127.0.0.1:{nginxPort}/behind/nginx:v1";
        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), target, "--preserve-digests"));
        var pulled = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy(target, $"dir:{pulled}", "--preserve-digests"));

        var image2 = PulledImage.FromDir(pulled);
        Assert.Equal(image.Digest, image2.Digest);
        Assert.Equal(image.AllDigests.Order(StringComparer.Ordinal), image2.AllDigests.Order(StringComparer.Ordinal));
        Assert.Equal(["v1"], skopeo.Tags($"docker://127.0.0.1:{nginxPort}/behind/nginx"));

        // Both nodes answered: nginx logs which upstream served each request.
        var upstreams = File.ReadAllLines(nginx.AccessLog).Select(line => line.Split(' ')[^1]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(nodeA.Registry, upstreams);
        Assert.Contains(nodeB.Registry, upstreams);
    }

    /// <summary>nginx on the document's configuration: its ports replaced, and its logs and temporary files in the test's directory.</summary>
    private async Task<NginxProcess> StartNginxAsync(int port, string nodeA, string nodeB)
    {
        var document = File.ReadAllText(Path.Combine(AdapterDependencies.RepositoryRoot(), "README.md"));
        var configuration = NginxBlock().Match(document).Groups[1].Value;
        Assert.Contains("server 127.0.0.1:5001;", configuration, StringComparison.Ordinal);
        Assert.Contains("listen 5000;", configuration, StringComparison.Ordinal);
        var prefix = Directory.CreateDirectory(Path.Combine(_work.Path, "nginx")).FullName;
        var accessLog = Path.Combine(prefix, "access.log");
        configuration = configuration
            .Replace("server 127.0.0.1:5001;", $"server {nodeA};", StringComparison.Ordinal)
            .Replace("server 127.0.0.1:5002;", $"server {nodeB};", StringComparison.Ordinal)
            .Replace("listen 5000;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("http {", $$"""
                http {
                    log_format upstream '$request_method $status $upstream_addr';
                    access_log {{accessLog}} upstream;
                    client_body_temp_path {{prefix}}/body;
                    proxy_temp_path {{prefix}}/proxy;
                    fastcgi_temp_path {{prefix}}/fastcgi;
                    uwsgi_temp_path {{prefix}}/uwsgi;
                    scgi_temp_path {{prefix}}/scgi;
                """, StringComparison.Ordinal);
        var file = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(file, configuration);
        // Workers may run as another user than the test: let them reach the temporary paths.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_work.Path, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(prefix, (UnixFileMode)0b111_111_111);
        }

        var start = new ProcessStartInfo(Tools.NginxPath()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", prefix, "-c", file, "-e", Path.Combine(prefix, "error.log"), "-g", $"daemon off; pid {prefix}/nginx.pid;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var nginx = new NginxProcess(process, accessLog, Path.Combine(prefix, "error.log"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited at start: {await process.StandardError.ReadToEndAsync()} {nginx.ErrorLogText()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        nginx.Dispose();
        throw new TimeoutException("nginx did not listen within 20 s: " + nginx.ErrorLogText());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("```nginx\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();

    /// <summary>A running nginx; stopped (with its workers) on dispose.</summary>
    private sealed class NginxProcess(Process process, string accessLog, string errorLog) : IDisposable
    {
        public string AccessLog => accessLog;

        public string ErrorLogText() => File.Exists(errorLog) ? File.ReadAllText(errorLog) : string.Empty;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                // SIGQUIT: a graceful stop, so the workers go too.
                Process.Start("kill", ["-QUIT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.Dispose();
        }
    }
}
