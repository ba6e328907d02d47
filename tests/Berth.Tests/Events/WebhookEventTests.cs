using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Berth.Background;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Events;

/// <summary>ECR-shaped events from pushes, deletes and lifecycle expiry, delivered to signed webhooks through the outbox.</summary>
public sealed class WebhookEventTests
{
    private const string Secret = "s3cr3t-webhook-key";

    private static Dictionary<string, string?> Hook(int index, string url, string? types = null, string? prefix = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Berth:Events:Webhooks:{index}:Url"] = url,
            [$"Berth:Events:Webhooks:{index}:Secret"] = Secret + index,
        };
        if (types is not null)
        {
            settings[$"Berth:Events:Webhooks:{index}:Types:0"] = types;
        }

        if (prefix is not null)
        {
            settings[$"Berth:Events:Webhooks:{index}:RepositoryPrefixes:0"] = prefix;
        }

        return settings;
    }

    [Fact]
    public async Task A_v2_push_and_PutImage_send_signed_PUSH_events_and_BatchDeleteImage_a_DELETE()
    {
        using var receiver = new WebhookReceiver();
        await using var host = await BerthHost.StartAsync(settings: Hook(0, receiver.Url));
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"team/app"}""");

        var image = await new V2Pusher(host.Client, "team/app").PushImageAsync("v1");
        var push = Assert.Single(await receiver.WaitForAsync(1));
        Assert.True(push.SignedWith(Secret + "0"), push.Signature);
        Assert.Equal("application/json", push.ContentType);
        var json = push.Json;
        Assert.Equal("0", json.GetProperty("version").GetString());
        Assert.Equal("ECR Image Action", push.Type);
        Assert.Equal("aws.ecr", json.GetProperty("source").GetString());
        Assert.Equal("123456789012", json.GetProperty("account").GetString());
        Assert.Equal("us-east-1", json.GetProperty("region").GetString());
        Assert.Equal(push.EventId, json.GetProperty("id").GetString());
        Assert.True(Guid.TryParse(push.EventId, out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", json.GetProperty("time").GetString());
        Assert.Equal(0, json.GetProperty("resources").GetArrayLength());
        Assert.Equal("SUCCESS", push.Detail.GetProperty("result").GetString());
        Assert.Equal("PUSH", push.Detail.GetProperty("action-type").GetString());
        Assert.Equal("team/app", push.Detail.GetProperty("repository-name").GetString());
        Assert.Equal(image.Digest, push.Detail.GetProperty("image-digest").GetString());
        Assert.Equal("v1", push.Detail.GetProperty("image-tag").GetString());
        Assert.False(string.IsNullOrEmpty(push.Detail.GetProperty("manifest-media-type").GetString()));

        var manifest = Encoding.UTF8.GetString(image.Manifest);
        await ecr.OkAsync("PutImage", $$"""{"repositoryName":"team/app","imageManifest":{{JsonSerializer.Serialize(manifest)}},"imageTag":"v2"}""");
        var events = await receiver.WaitForAsync(2);
        Assert.Equal("v2", events[1].Detail.GetProperty("image-tag").GetString());
        Assert.Equal(image.Digest, events[1].Detail.GetProperty("image-digest").GetString());

        await ecr.OkAsync("BatchDeleteImage", """{"repositoryName":"team/app","imageIds":[{"imageTag":"v2"}]}""");
        events = await receiver.WaitForAsync(3);
        Assert.Equal(3, events.Count);
        var delete = events[2].Detail;
        Assert.Equal("DELETE", delete.GetProperty("action-type").GetString());
        Assert.Equal(image.Digest, delete.GetProperty("image-digest").GetString());
        Assert.Equal("v2", delete.GetProperty("image-tag").GetString());

        // A delete that removes nothing sends nothing.
        await ecr.OkAsync("BatchDeleteImage", """{"repositoryName":"team/app","imageIds":[{"imageTag":"v2"}]}""");
        await Task.Delay(1500);
        Assert.Equal(3, receiver.Delivered.Count);
    }

    [Fact]
    public async Task Webhooks_receive_only_their_types_and_repository_prefixes()
    {
        using var all = new WebhookReceiver();
        using var prod = new WebhookReceiver();
        using var lifecycleOnly = new WebhookReceiver();
        var settings = Hook(0, all.Url);
        foreach (var (key, value) in Hook(1, prod.Url, prefix: "prod/").Concat(Hook(2, lifecycleOnly.Url, types: "AWS Service Event via CloudTrail")))
        {
            settings[key] = value;
        }

        await using var host = await BerthHost.StartAsync(settings: settings);
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"prod/api"}""");
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"dev/api"}""");
        var prodImage = await new V2Pusher(host.Client, "prod/api").PushImageAsync("v1");
        await new V2Pusher(host.Client, "dev/api").PushImageAsync("v1");

        Assert.Equal(2, (await all.WaitForAsync(2)).Count);
        var onlyProd = Assert.Single(await prod.WaitForAsync(1));
        Assert.Equal(prodImage.Digest, onlyProd.Detail.GetProperty("image-digest").GetString());
        Assert.True(onlyProd.SignedWith(Secret + "1"));
        Assert.False(onlyProd.SignedWith(Secret + "0"));

        // An untagged-expiry policy expires the image once its tag goes: a lifecycle event reaches all three hooks' filters.
        await ecr.OkAsync("PutLifecyclePolicy", """
            {"repositoryName":"prod/api","lifecyclePolicyText":"{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}"}
            """);
        var second = await new V2Pusher(host.Client, "prod/api").PushImageAsync("v2");
        Assert.NotEqual(prodImage.Digest, second.Digest);
        await host.Services.GetRequiredService<Berth.Domain.Lifecycle.LifecycleService>().RunAllAsync("prod/api", CancellationToken.None);

        var expired = Assert.Single(await lifecycleOnly.WaitForAsync(1));
        Assert.True(expired.SignedWith(Secret + "2"));
        Assert.Equal("AWS Service Event via CloudTrail", expired.Type);
        Assert.Equal("aws.ecr", expired.Json.GetProperty("source").GetString());
        Assert.Equal(0, expired.Json.GetProperty("resources").GetArrayLength());
        var record = expired.Detail;
        Assert.Equal("PolicyExecutionEvent", record.GetProperty("eventName").GetString());
        Assert.Equal("ecr.amazonaws.com", record.GetProperty("eventSource").GetString());
        Assert.Equal("AwsServiceEvent", record.GetProperty("eventType").GetString());
        Assert.Equal("us-east-1", record.GetProperty("awsRegion").GetString());
        Assert.Equal("123456789012", record.GetProperty("recipientAccountId").GetString());
        Assert.Equal("AWS Internal", record.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/prod/api", record.GetProperty("resources")[0].GetProperty("ARN").GetString());
        var details = record.GetProperty("serviceEventDetails");
        Assert.Equal("prod/api", details.GetProperty("repositoryName").GetString());
        var rule = Assert.Single(details.GetProperty("lifecycleEventPolicy").GetProperty("lifecycleEventRules").EnumerateArray());
        Assert.Equal(1, rule.GetProperty("rulePriority").GetInt32());
        Assert.Equal("expire", rule.GetProperty("action").GetString());
        Assert.Equal("Any", rule.GetProperty("lifecycleEventSelection").GetProperty("tagStatus").GetString());
        Assert.Equal("Image count more than", rule.GetProperty("lifecycleEventSelection").GetProperty("countType").GetString());
        Assert.Equal(1, rule.GetProperty("lifecycleEventSelection").GetProperty("countNumber").GetInt32());
        Assert.Equal(0, details.GetProperty("lifecycleEventPolicy").GetProperty("lastEvaluatedAt").GetInt64());
        var action = Assert.Single(details.GetProperty("lifecycleEventImageActions").EnumerateArray());
        Assert.Equal(1, action.GetProperty("rulePriority").GetInt32());
        var image = action.GetProperty("lifecycleEventImage");
        Assert.Equal(prodImage.Digest, image.GetProperty("digest").GetString());
        Assert.Equal("Tagged", image.GetProperty("tagStatus").GetString());
        Assert.Equal(["v1"], image.GetProperty("tagList").EnumerateArray().Select(tag => tag.GetString()));
        Assert.True(image.GetProperty("pushedAt").GetInt64() > 0);
        Assert.Contains((await prod.WaitForAsync(3)).Select(e => e.Type), type => type == "AWS Service Event via CloudTrail");
    }

    [Fact]
    public async Task A_lifecycle_run_expiring_twelve_images_sends_two_events_that_name_each_image_once()
    {
        using var receiver = new WebhookReceiver();
        await using var host = await BerthHost.StartAsync(settings: Hook(0, receiver.Url, types: "AWS Service Event via CloudTrail"));
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"many"}""");
        var pushed = new List<string>();
        for (var i = 0; i < 13; i++)
        {
            pushed.Add((await new V2Pusher(host.Client, "many").PushImageAsync($"v{i}")).Digest);
        }

        await ecr.OkAsync("PutLifecyclePolicy", """
            {"repositoryName":"many","lifecyclePolicyText":"{\"rules\":[{\"rulePriority\":3,\"description\":\"keep one\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}"}
            """);
        var report = Assert.Single(await host.Services.GetRequiredService<Berth.Domain.Lifecycle.LifecycleService>().RunAllAsync("many", CancellationToken.None));
        Assert.Equal(12, report.Expired);

        var events = await receiver.WaitForAsync(2);
        Assert.Equal(2, events.Count);
        var actions = events.SelectMany(e => e.Detail.GetProperty("serviceEventDetails").GetProperty("lifecycleEventImageActions").EnumerateArray()).ToList();
        Assert.Equal(pushed.Distinct().Count() - 1, actions.Count);
        Assert.Equal(actions.Count, actions.Select(a => a.GetProperty("lifecycleEventImage").GetProperty("digest").GetString()).Distinct().Count());
        Assert.All(actions, a => Assert.Equal(3, a.GetProperty("rulePriority").GetInt32()));
        Assert.All(actions, a => Assert.Contains(a.GetProperty("lifecycleEventImage").GetProperty("digest").GetString(), pushed));
        Assert.All(events, e => Assert.InRange(e.Detail.GetProperty("serviceEventDetails").GetProperty("lifecycleEventImageActions").GetArrayLength(), 1, 9));
        var policies = events.Select(e => e.Detail.GetProperty("serviceEventDetails").GetProperty("lifecycleEventPolicy")).ToList();
        Assert.All(policies, p => Assert.Equal("keep one", p.GetProperty("lifecycleEventRules")[0].GetProperty("description").GetString()));
        Assert.Equal(policies[0].GetProperty("policyId").GetString(), policies[1].GetProperty("policyId").GetString());
        Assert.NotEqual(events[0].Detail.GetProperty("eventID").GetString(), events[1].Detail.GetProperty("eventID").GetString());
    }

    [Fact]
    public async Task A_finished_scan_sends_an_ECR_Image_Scan_with_the_counts_of_the_severities_found()
    {
        using var receiver = new WebhookReceiver();
        await using var host = await BerthHost.StartAsync(settings: Hook(0, receiver.Url, types: "ECR Image Scan"));
        var ecr = host.Ecr();
        await host.Services.GetRequiredService<Berth.Domain.Scanning.VulnerabilityDatabaseImporter>().ImportAsync(ScanImages.OsvFixtures, CancellationToken.None);
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"scanned","imageScanningConfiguration":{"scanOnPush":true}}""");
        var digest = await ScanImages.PushAsync(host.Client, "scanned", "v1", ScanImages.DebianLayers());

        var scan = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30)));
        Assert.True(scan.SignedWith(Secret + "0"));
        Assert.Equal("ECR Image Scan", scan.Type);
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/scanned", scan.Json.GetProperty("resources")[0].GetString());
        var detail = scan.Detail;
        Assert.Equal("COMPLETE", detail.GetProperty("scan-status").GetString());
        Assert.Equal("scanned", detail.GetProperty("repository-name").GetString());
        Assert.Equal(digest, detail.GetProperty("image-digest").GetString());
        Assert.Equal(["v1"], detail.GetProperty("image-tags").EnumerateArray().Select(tag => tag.GetString()));
        var counts = detail.GetProperty("finding-severity-counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["CRITICAL"] = 1, ["HIGH"] = 2, ["MEDIUM"] = 1, ["LOW"] = 1 }, counts);
        var findings = await ecr.OkAsync("DescribeImageScanFindings", """{"repositoryName":"scanned","imageId":{"imageTag":"v1"}}""");
        Assert.Equal("COMPLETE", findings.GetProperty("imageScanStatus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_event_once_after_retries_and_no_secret_is_logged()
    {
        using var receiver = new WebhookReceiver(failFirst: 2);
        var logs = new TextLogs();
        await using var host = await BerthHost.StartAsync(
            settings: Hook(0, receiver.Url),
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"flaky"}""");
        var image = await new V2Pusher(host.Client, "flaky").PushImageAsync("v1");

        var delivered = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(image.Digest, delivered.Detail.GetProperty("image-digest").GetString());
        await Task.Delay(1500);
        Assert.Single(receiver.Delivered);
        Assert.Equal(3, receiver.Requests);
        Assert.Contains(logs.Lines, line => line.Contains("answered 500", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Undelivered_events_survive_a_restart_and_reach_the_webhook_from_the_next_host()
    {
        using var receiver = new WebhookReceiver();
        using var data = new TempDirectory();
        string digest;
        await using (var first = await BerthHost.StartAsync(dataDir: data.Path, settings: Hook(0, receiver.Url), configureServices: WithoutOutboxWorker))
        {
            await first.Ecr().OkAsync("CreateRepository", """{"repositoryName":"durable"}""");
            digest = (await new V2Pusher(first.Client, "durable").PushImageAsync("v1")).Digest;
            await Task.Delay(300);
            Assert.Empty(receiver.Delivered);
        }

        await using var second = await BerthHost.StartAsync(dataDir: data.Path, settings: Hook(0, receiver.Url));
        var delivered = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(digest, delivered.Detail.GetProperty("image-digest").GetString());
    }

    [Fact]
    public async Task A_completed_replication_sends_an_ECR_Replication_Action()
    {
        using var receiver = new WebhookReceiver();
        await using var host = await BerthHost.StartAsync(settings: Hook(0, receiver.Url, types: "ECR Replication Action"));
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"rep"}""");
        await ecr.OkAsync("PutReplicationConfiguration", """{"replicationConfiguration":{"rules":[{"destinations":[{"region":"us-west-2","registryId":"123456789012"}]}]}}""");
        var image = await new V2Pusher(host.Client, "rep").PushImageAsync("v1");

        var replicated = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("ECR Replication Action", replicated.Type);
        Assert.Equal("SUCCESS", replicated.Detail.GetProperty("result").GetString());
        Assert.Equal("REPLICATE", replicated.Detail.GetProperty("action-type").GetString());
        Assert.Equal(image.Digest, replicated.Detail.GetProperty("image-digest").GetString());
        Assert.Equal("us-west-2", replicated.Detail.GetProperty("destination-region").GetString());
        Assert.Equal("123456789012", replicated.Detail.GetProperty("destination-account").GetString());
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/rep", replicated.Json.GetProperty("resources")[0].GetString());
    }

    [Theory]
    [InlineData("Url", "ftp://example", "Berth:Events:Webhooks:0:Url")]
    [InlineData("Secret", "", "Berth:Events:Webhooks:0:Secret")]
    [InlineData("Types:0", "ECR Image Push", "Berth:Events:Webhooks:0:Types:0")]
    [InlineData("Types:0", "ECR Lifecycle Policy Action", "'AWS Service Event via CloudTrail'")]
    public async Task A_bad_webhook_setting_stops_the_start_naming_its_key(string key, string value, string named)
    {
        var settings = Hook(0, "http://127.0.0.1:9/hook");
        settings[$"Berth:Events:Webhooks:0:{key}"] = value;
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BerthHost.StartAsync(settings: settings));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    private static void WithoutOutboxWorker(IServiceCollection services) =>
        services.Remove(services.Single(service => service.ServiceType == typeof(IHostedService) && service.ImplementationType == typeof(OutboxJob)));

    /// <summary>Keeps every formatted log line, to check what a log would show.</summary>
    private sealed class TextLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
