using Berth.Tests.Events;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Webhook events from the real `berth serve` process: a skopeo push and an aws CLI delete reach a local receiver
/// signed, shaped as ECR's and filtered by type and repository prefix, and an event written while the receiver is
/// down reaches it after both the server and the receiver were restarted.
/// </summary>
public sealed class EventsEndToEndTests
{
    private const string Secret = "e2e-webhook-secret";

    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task Push_and_delete_reach_the_webhook_signed_and_filtered_and_survive_a_restart()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        var receiver = new WebhookReceiver();
        using var replicationOnly = new WebhookReceiver();
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["BERTH_EVENTS__WEBHOOKS__0__URL"] = receiver.Url,
                ["BERTH_EVENTS__WEBHOOKS__0__SECRET"] = Secret,
                ["BERTH_EVENTS__WEBHOOKS__0__REPOSITORYPREFIXES__0"] = "e2e/",
                ["BERTH_EVENTS__WEBHOOKS__1__URL"] = replicationOnly.Url,
                ["BERTH_EVENTS__WEBHOOKS__1__SECRET"] = Secret + "-1",
                ["BERTH_EVENTS__WEBHOOKS__1__TYPES__0"] = "ECR Replication Action",
            };
            await using var server = await ServerProcess.StartAsync(data.Path, auth: "none", environment: environment);
            var aws = new AwsCli(server.Endpoint, "AKIAIOSFODNN7EXAMPLE", "not-checked");
            using var skopeo = new Skopeo();
            var layout = new OciLayoutBuilder(work.Path);
            aws.Ok("create-repository", "--repository-name", "e2e/app");
            aws.Ok("create-repository", "--repository-name", "other/app");
            var v1 = layout.AddImage("v1", ImageFlavor.Oci);
            var v2 = layout.AddImage("v2", ImageFlavor.Oci);

            // A repository outside the prefix first: had it passed the filter, its event would arrive before the DELETE.
            Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/other/app:v1"));
            Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/e2e/app:v1"));
            var push = Assert.Single(await receiver.WaitForAsync(1));
            AssertImageAction(push, "PUSH", v1.Digest, "v1");
            Assert.False(string.IsNullOrEmpty(push.Detail.GetProperty("manifest-media-type").GetString()));

            aws.Ok("batch-delete-image", "--repository-name", "e2e/app", "--image-ids", "imageTag=v1");
            var events = await receiver.WaitForAsync(2);
            Assert.Equal(2, events.Count);
            AssertImageAction(events[1], "DELETE", v1.Digest, "v1");
            Assert.NotEqual(events[0].EventId, events[1].EventId);
            Assert.Empty(replicationOnly.Delivered);

            // The receiver goes away: the next push's event waits in the outbox, across a restart of the server.
            var port = receiver.Port;
            receiver.Dispose();
            Skopeo.Ok(skopeo.Copy(layout.Source("v2", ImageFlavor.Oci), $"docker://{server.Registry}/e2e/app:v2"));

            // The failed attempt shows in /metrics, under its webhook and type.
            using (var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) })
            {
                await Diagnostics.MetricsEndToEndTests.ScrapeUntilAsync(http, text => Counted(text, "berth_events_failed", "0") > 0);
            }

            Assert.Equal(0, await server.StopAsync());
            receiver = new WebhookReceiver(port: port);
            await server.StartAgainAsync();

            var late = Assert.Single(await receiver.WaitForAsync(1));
            AssertImageAction(late, "PUSH", v2.Digest, "v2");
            await Task.Delay(300);
            Assert.Single(receiver.Delivered);
            Assert.Empty(replicationOnly.Delivered);
            using (var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) })
            {
                await Diagnostics.MetricsEndToEndTests.ScrapeUntilAsync(http, text => Counted(text, "berth_events_delivered", "0") == 1);
            }
        }
        finally
        {
            receiver.Dispose();
        }
    }

    /// <summary>The value of the counter <paramref name="metric"/> for ECR Image Action events to <paramref name="webhook"/>, 0 when absent.</summary>
    private static double Counted(string scrape, string metric, string webhook)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal)
                && line.Contains("_total{", StringComparison.Ordinal)
                && line.Contains("type=\"ECR Image Action\"", StringComparison.Ordinal)
                && line.Contains($"webhook=\"{webhook}\"", StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static void AssertImageAction(WebhookReceiver.Received received, string action, string digest, string tag)
    {
        Assert.True(received.SignedWith(Secret), $"signature {received.Signature} does not match the body");
        Assert.False(received.SignedWith(Secret + "-1"));
        Assert.Equal("application/json", received.ContentType);
        var json = received.Json;
        Assert.Equal("0", json.GetProperty("version").GetString());
        Assert.Equal(received.EventId, json.GetProperty("id").GetString());
        Assert.Equal("ECR Image Action", received.Type);
        Assert.Equal("aws.ecr", json.GetProperty("source").GetString());
        Assert.Matches(@"^\d{12}$", json.GetProperty("account").GetString());
        Assert.Equal("us-east-1", json.GetProperty("region").GetString());
        Assert.Equal(received.Timestamp, json.GetProperty("time").GetString());
        Assert.Equal(0, json.GetProperty("resources").GetArrayLength());
        var detail = received.Detail;
        Assert.Equal("SUCCESS", detail.GetProperty("result").GetString());
        Assert.Equal("e2e/app", detail.GetProperty("repository-name").GetString());
        Assert.Equal(digest, detail.GetProperty("image-digest").GetString());
        Assert.Equal(action, detail.GetProperty("action-type").GetString());
        Assert.Equal(tag, detail.GetProperty("image-tag").GetString());
    }
}
