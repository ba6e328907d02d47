using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>What a new user meets in the first hour, run as the docs tell them to (docs/install.md, README).</summary>
public sealed class FirstHourTests
{
    private static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

    [Fact]
    public void Serve_on_a_taken_port_prints_one_line_naming_it_and_exits_non_zero()
    {
        using var data = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var listen = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var result = Berth("serve", "--listen", listen, "--data-dir", data.Path, "--auth", "none");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"berth: cannot listen on {listen}: the address is already in use (another server holds the port); choose another with --listen or BERTH_LISTEN", result.StandardError.Trim());
        Assert.DoesNotContain("listening", result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [E2EFact(Tools.Aws)]
    public async Task The_aws_CLI_given_an_endpoint_with_a_path_prints_where_the_API_is()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        var cli = new AwsCli(server.Endpoint + "/ecr", "123456789012", "unused");

        var error = cli.Fails("UnknownOperationException", "describe-repositories");

        Assert.Contains("Berth answers the ECR API at POST / only, not at /ecr", error, StringComparison.Ordinal);
    }

    [E2EFact(Tools.Aws)]
    public async Task A_refused_signature_leaves_one_line_in_the_server_log()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, _) = server.PrintedKey();
        var cli = new AwsCli(server.Endpoint, keyId, new string('x', 40));

        cli.Fails("InvalidSignatureException", "describe-repositories");

        await WaitForAsync(() => server.Output.Contains("Refused a signed request from 127.0.0.1: InvalidSignatureException", StringComparison.Ordinal), server);
    }

    [Fact]
    public async Task An_interrupted_push_is_reported_at_the_next_start()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        using var create = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("""{"repositoryName":"left/over"}"""),
        };
        create.Headers.Add("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository");
        create.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        (await http.SendAsync(create)).EnsureSuccessStatusCode();
        using var started = await http.PostAsync("/v2/left/over/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.DoesNotContain("partial uploads", server.Output, StringComparison.Ordinal);

        await server.RestartAsync(kill: true);

        await WaitForAsync(() => server.Output.Contains("1 partial uploads from before this start", StringComparison.Ordinal), server);
    }

    [Fact]
    public async Task Health_answers_0_for_a_running_server_and_1_when_none_listens()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);

        var up = Berth("health", "--url", server.Endpoint);
        var port = server.Port;
        await server.StopAsync();
        var down = Berth("health", "--listen", $"http://0.0.0.0:{port}");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.StartsWith("berth: healthy", up.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, down.ExitCode);
        Assert.StartsWith($"berth: unhealthy (http://127.0.0.1:{port}/ did not answer", down.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The README's skopeo section, without docker: write the sample image, push it, pull it back.</summary>
    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task The_sample_image_pushes_with_skopeo_and_pulls_back_unchanged()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        using var skopeo = new Skopeo();
        var layout = skopeo.NewDirectory("sample");
        var written = Berth("sample-image", "--output", layout);
        Assert.True(written.ExitCode == 0, written.ToString());
        // With --auth none, /v2/ acts in the default account, which a 12-digit key id of zeros names on the ECR side.
        new AwsCli(server.Endpoint, "000000000000", "unused").Ok("create-repository", "--repository-name", "hello");

        Skopeo.Ok(skopeo.Copy($"oci:{layout}:latest", $"docker://{server.Registry}/hello:latest"));
        var pulled = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy($"docker://{server.Registry}/hello:latest", $"oci:{pulled}:latest"));

        var digest = written.StandardOutput.Split(' ')[2];
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        Assert.Equal(digest, skopeo.ManifestDigest($"docker://{server.Registry}/hello:latest"));
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(pulled, "index.json")));
        Assert.Equal(digest, index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString());
    }

    [Fact]
    public void Sample_image_is_the_same_image_every_time()
    {
        using var work = new TempDirectory();

        var first = Berth("sample-image", "--output", Path.Combine(work.Path, "a"));
        var second = Berth("sample-image", "--output", Path.Combine(work.Path, "b"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.StandardOutput.Split(' ')[2], second.StandardOutput.Split(' ')[2]);
        // oci-layout, index.json and three blobs: layer, config, manifest.
        Assert.Equal(5, Directory.GetFiles(Path.Combine(work.Path, "a"), "*", SearchOption.AllDirectories).Length);
    }

    private static async Task WaitForAsync(Func<bool> condition, ServerProcess server)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "the server log lacks the expected line:\n" + server.Output);
    }
}
