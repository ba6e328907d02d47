using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Tests.Architecture;
using Berth.Tests.EndToEnd;
using Berth.Tests.Support;

namespace Berth.Tests.Diagnostics;

/// <summary>/metrics and /health of the real server after real traffic, and the Grafana dashboard against that scrape.</summary>
public sealed partial class MetricsEndToEndTests
{
    private static readonly string[] Arguments =
        ["--gc-interval", "1s", "--lifecycle-interval", "1s", "--metrics-max-repositories", "1"];

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_in_a_scrape_after_traffic()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none", moreArguments: _ => Arguments);
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        await PushAndPullAsync(http, "metrics/app");
        await PushAndPullAsync(http, "metrics/two");
        // The gc and lifecycle jobs run every second here; their first successes take a moment.
        var scrape = await ScrapeUntilAsync(http, text => text.Contains("job=\"gc\"", StringComparison.Ordinal) && text.Contains("job=\"lifecycle\"", StringComparison.Ordinal)
            && text.Contains("berth_job_last_success", StringComparison.Ordinal));
        var names = MetricNames(scrape);

        var dashboard = File.ReadAllText(Path.Combine(AdapterDependencies.RepositoryRoot(), "deploy", "grafana", "berth-dashboard.json"));
        var queried = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expression in Expressions(JsonDocument.Parse(dashboard).RootElement))
        {
            foreach (Match match in MetricNamePattern().Matches(expression))
            {
                queried.Add(match.Value);
            }
        }

        Assert.True(queried.Count >= 15, "the dashboard queries only " + string.Join(", ", queried));
        var missing = queried.Where(name => !names.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"the dashboard queries metrics the server does not export: {string.Join(", ", missing)}\n{scrape}");

        // Values, not only names: the requests, the pushes by repository (bounded to 1, the second folded), the cache.
        Assert.Matches("berth_http_request_duration_seconds_count\\{[^}]*operation=\"GET manifest\"[^}]*status=\"200\"[^}]*\\} [2-9]", scrape);
        Assert.Matches("berth_http_request_duration_seconds_count\\{[^}]*operation=\"CreateRepository\"[^}]*protocol=\"ecr\"[^}]*\\} 2", scrape);
        Assert.Matches("berth_image_pushes_total\\{[^}]*repository=\"metrics/app\"[^}]*\\} 1", scrape);
        Assert.Matches("berth_image_pushes_total\\{[^}]*repository=\"_other\"[^}]*\\} 1", scrape);
        Assert.DoesNotContain("repository=\"metrics/two\"", scrape, StringComparison.Ordinal);
        Assert.Matches("berth_cache_hits_total\\{[^}]*cache=\"tags\"[^}]*\\} [1-9]", scrape);
        Assert.Matches("berth_build_info\\{[^}]*version=", scrape);
    }

    [Fact]
    public async Task Health_live_and_ready_answer_with_every_check_named()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "sigv4");
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };

        using var live = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // Unauthenticated, though the registry itself asks for signatures.
        using var ready = await http.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("ready", document.RootElement.GetProperty("status").GetString());
        var checks = document.RootElement.GetProperty("checks");
        foreach (var check in new[] { "database", "blobs", "migrations" })
        {
            Assert.Equal("ok", checks.GetProperty(check).GetString());
        }

        // The blob probe leaves nothing behind: no upload directory fills up with probes.
        for (var i = 0; i < 5; i++)
        {
            (await http.GetAsync("/health/ready")).Dispose();
        }

        var uploads = Directory.EnumerateDirectories(data.Path, "*", SearchOption.AllDirectories).Where(d => d.Contains("upload", StringComparison.OrdinalIgnoreCase))
            .SelectMany(d => Directory.EnumerateFileSystemEntries(d)).ToList();
        Assert.Empty(uploads);
    }

    [Fact]
    public async Task Health_ready_is_503_naming_the_blob_store_when_it_cannot_be_written()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        // A file where the upload directory must be: every new upload fails, even for root.
        var uploadRoots = Directory.EnumerateDirectories(data.Path, "*upload*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(uploadRoots);
        foreach (var root in uploadRoots)
        {
            Directory.Delete(root, recursive: true);
            await File.WriteAllTextAsync(root, "not a directory");
        }

        using var ready = await http.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("not ready", document.RootElement.GetProperty("status").GetString());
        Assert.NotEqual("ok", document.RootElement.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.Equal("ok", document.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Metrics_can_be_moved_to_a_listener_of_their_own_or_turned_off()
    {
        using var data = new TempDirectory();
        var metricsPort = FreePort();
        await using (var server = await ServerProcess.StartAsync(data.Path, auth: "none", moreArguments: _ => ["--metrics", $"http://127.0.0.1:{metricsPort}"]))
        {
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(server.Endpoint + "/metrics")).StatusCode);
            using var scrape = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("berth_build_info", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // The metrics listener serves nothing of the registry.
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/v2/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(server.Endpoint + "/v2/")).StatusCode);
        }

        using var other = new TempDirectory();
        await using var off = await ServerProcess.StartAsync(other.Path, auth: "none", moreArguments: _ => ["--metrics", "off"]);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(off.Endpoint + "/metrics")).StatusCode);
    }

    /// <summary>Creates the repository (ECR, unsigned under --auth none), pushes a one-layer image, pulls its manifest twice.</summary>
    internal static async Task PushAndPullAsync(HttpClient http, string repository)
    {
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/"))
        {
            create.Headers.Add("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository");
            create.Content = new StringContent($$"""{"repositoryName":"{{repository}}"}""", Encoding.UTF8);
            create.Content.Headers.ContentType = new("application/x-amz-json-1.1");
            using var created = await http.SendAsync(create);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var config = await PushBlobAsync(http, repository, """{"architecture":"amd64","os":"linux"}"""u8.ToArray());
        var layer = await PushBlobAsync(http, repository, RandomNumberGenerator.GetBytes(4096));
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config.Digest}}","size":{{config.Size}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layer.Digest}}","size":{{layer.Size}}}]}""";
        using var put = new StringContent(manifest);
        put.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        using (var pushed = await http.PutAsync($"/v2/{repository}/manifests/v1", put))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v1");
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var pulled = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        // A pull records its time (a write), so a manifest read right after one misses; a tag list read twice hits.
        for (var i = 0; i < 2; i++)
        {
            using var tags = await http.GetAsync($"/v2/{repository}/tags/list");
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
        }
    }

    private static async Task<(string Digest, int Size)> PushBlobAsync(HttpClient http, string repository, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var started = await http.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/octet-stream");
        using var put = await http.PutAsync($"{location}{separator}digest={Uri.EscapeDataString(digest)}", content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return (digest, bytes.Length);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (at most 20 s), returning the last scrape.</summary>
    internal static async Task<string> ScrapeUntilAsync(HttpClient http, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var answer = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var text = await answer.Content.ReadAsStringAsync();
            if (done(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The series names of a Prometheus text exposition (histograms as their _bucket, _sum and _count).</summary>
    internal static HashSet<string> MetricNames(string exposition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var end = line.IndexOfAny(['{', ' ']);
            names.Add(end < 0 ? line : line[..end]);
        }

        return names;
    }

    /// <summary>Every <c>expr</c> of every panel target, however deeply panels nest (rows).</summary>
    private static IEnumerable<string> Expressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("expr") && property.Value.ValueKind == JsonValueKind.String)
                {
                    yield return property.Value.GetString()!;
                }

                foreach (var inner in Expressions(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Expressions(item))
                {
                    yield return inner;
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"\bberth_[a-z0-9_]+")]
    private static partial Regex MetricNamePattern();
}
