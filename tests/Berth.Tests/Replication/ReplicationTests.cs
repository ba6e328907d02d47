using System.Diagnostics;
using System.Text;
using Berth.Background;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using static Berth.Tests.Replication.ReplicationHarness;

namespace Berth.Tests.Replication;

/// <summary>Pushes replicating inside one Berth: across regions and accounts, once, and durably.</summary>
public sealed class ReplicationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BerthHost _host = null!;

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_v2_push_replicates_to_another_region_with_its_tag_and_blobs()
    {
        var ecr = _host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"prod/web"}""");
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"dev/web"}""");
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, "prod/")));

        var clock = Stopwatch.StartNew();
        var image = await new V2Pusher(_host.Client, "prod/web").PushImageAsync("v1");
        var west = _host.Ecr(region: West);
        while (await TaggedDigestAsync(west, "prod/web", "v1") is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(5);
        }

        output.WriteLine($"pushed image visible in {West} {clock.Elapsed.TotalMilliseconds:F0} ms after the push started");
        Assert.Equal(image.Digest, await TaggedDigestAsync(west, "prod/web", "v1"));
        var statuses = await SettledStatusesAsync(ecr, "prod/web", image.Digest);
        Assert.Equal("COMPLETE", State(statuses, West, Source));
        Assert.Single(statuses);
        // The copy's layers are downloadable in the destination: its blob links were made.
        var layer = await west.OkAsync("GetDownloadUrlForLayer", $$"""{"repositoryName":"prod/web","layerDigest":"{{image.LayerDigests[0]}}"}""");
        Assert.Equal(image.LayerDigests[0], layer.GetProperty("layerDigest").GetString());

        // A repository outside the rule's prefix does not replicate.
        var other = await new V2Pusher(_host.Client, "dev/web").PushImageAsync("v1");
        Assert.Empty(await SettledStatusesAsync(ecr, "dev/web", other.Digest));
        await west.FailsAsync("DescribeRepositories", """{"repositoryNames":["dev/web"]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task PutImage_replicates_too_and_a_replicated_image_never_replicates_again()
    {
        var ecr = _host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"app"}""");
        var image = await new V2Pusher(_host.Client, "app").PushImageAsync(null);
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, null)));
        // The destination region replicates onward; a copy arriving there must not.
        await _host.Ecr(region: West).OkAsync("PutReplicationConfiguration", Configuration(("eu-west-1", Source, null)));

        var manifest = Encoding.UTF8.GetString(image.Manifest);
        await ecr.OkAsync("PutImage", $$"""{"repositoryName":"app","imageManifest":{{System.Text.Json.JsonSerializer.Serialize(manifest)}},"imageTag":"v2"}""");

        var statuses = await SettledStatusesAsync(ecr, "app", image.Digest);
        Assert.Equal("COMPLETE", State(statuses, West, Source));
        Assert.Equal(image.Digest, await TaggedDigestAsync(_host.Ecr(region: West), "app", "v2"));
        Assert.Empty(await StatusesAsync(_host.Ecr(region: West), "app", image.Digest));
        await Task.Delay(300);
        await _host.Ecr(region: "eu-west-1").FailsAsync("DescribeRepositories", """{"repositoryNames":["app"]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task Another_account_receives_copies_only_while_its_registry_policy_grants_ReplicateImage()
    {
        var ecr = _host.Ecr();
        var partner = _host.Ecr(Partner);
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"shared"}""");
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((Home, Partner, null)));
        var pusher = new V2Pusher(_host.Client, "shared");

        var refused = await pusher.PushImageAsync("v1");
        var statuses = await SettledStatusesAsync(ecr, "shared", refused.Digest);
        Assert.Equal("FAILED", State(statuses, Home, Partner));
        Assert.Contains("ecr:ReplicateImage", FailureCode(statuses, Home, Partner), StringComparison.Ordinal);
        await partner.FailsAsync("DescribeRepositories", """{"repositoryNames":["shared"]}""", "RepositoryNotFoundException");

        await partner.OkAsync("PutRegistryPolicy", $$"""
            {"policyText":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Replicate\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::{{Source}}:root\"},\"Action\":[\"ecr:ReplicateImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:{{Home}}:{{Partner}}:repository/*\"}]}"}
            """);
        var granted = await pusher.PushImageAsync("v2");
        Assert.Equal("COMPLETE", State(await SettledStatusesAsync(ecr, "shared", granted.Digest), Home, Partner));
        Assert.Equal(granted.Digest, await TaggedDigestAsync(partner, "shared", "v2"));

        await partner.OkAsync("DeleteRegistryPolicy");
        var revoked = await pusher.PushImageAsync("v3");
        statuses = await SettledStatusesAsync(ecr, "shared", revoked.Digest);
        Assert.Equal("FAILED", State(statuses, Home, Partner));
        Assert.Contains($"account {Source}", FailureCode(statuses, Home, Partner), StringComparison.Ordinal);
        Assert.Null(await TaggedDigestAsync(partner, "shared", "v3"));
    }

    [Fact]
    public async Task A_tag_held_by_another_image_in_an_immutable_destination_stays_and_the_image_is_copied_untagged()
    {
        var ecr = _host.Ecr();
        var west = _host.Ecr(region: West);
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"locked"}""");
        await west.OkAsync("CreateRepository", """{"repositoryName":"locked","imageTagMutability":"IMMUTABLE"}""");
        var existing = await new V2Pusher(_host.Client, "locked").PushImageAsync("v1");
        // The destination gets v0 on this image by replication.
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, null), ("eu-west-1", Source, null)));
        await ecr.OkAsync("PutImage", $$"""{"repositoryName":"locked","imageManifest":{{System.Text.Json.JsonSerializer.Serialize(Encoding.UTF8.GetString(existing.Manifest))}},"imageTag":"v0"}""");
        Assert.Equal("COMPLETE", State(await SettledStatusesAsync(ecr, "locked", existing.Digest), West, Source));

        // Now the source moves v0 to a new image: the immutable destination already has v0 on the old one.
        var moved = await new V2Pusher(_host.Client, "locked").PushImageAsync("v0");

        var statuses = await SettledStatusesAsync(ecr, "locked", moved.Digest);
        Assert.Equal("COMPLETE", State(statuses, West, Source));
        Assert.Equal("COMPLETE", State(statuses, "eu-west-1", Source));
        Assert.Equal(existing.Digest, await TaggedDigestAsync(west, "locked", "v0"));
        var copied = await west.OkAsync("DescribeImages", $$"""{"repositoryName":"locked","imageIds":[{"imageDigest":"{{moved.Digest}}"}]}""");
        Assert.False(copied.GetProperty("imageDetails")[0].TryGetProperty("imageTags", out _));
        Assert.Equal(moved.Digest, await TaggedDigestAsync(_host.Ecr(region: "eu-west-1"), "locked", "v0"));
    }

    [Fact]
    public async Task Pending_copies_survive_a_restart_and_complete_on_the_next_host()
    {
        using var data = new TempDirectory();
        string digest;
        await using (var first = await BerthHost.StartAsync(dataDir: data.Path, configureServices: WithoutOutboxWorker))
        {
            var ecr = first.Ecr();
            await ecr.OkAsync("CreateRepository", """{"repositoryName":"durable"}""");
            await ecr.OkAsync("PutReplicationConfiguration", Configuration((West, Source, null), (Home, Partner, null)));
            await first.Ecr(Partner).OkAsync("PutRegistryPolicy", $$"""
                {"policyText":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::{{Source}}:root\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}]}"}
                """);
            digest = (await new V2Pusher(first.Client, "durable").PushImageAsync("v1")).Digest;
            var pending = await StatusesAsync(ecr, "durable", digest);
            Assert.Equal("IN_PROGRESS", State(pending, West, Source));
            Assert.Equal("IN_PROGRESS", State(pending, Home, Partner));
        }

        await using var second = await BerthHost.StartAsync(dataDir: data.Path);
        var statuses = await SettledStatusesAsync(second.Ecr(), "durable", digest);
        Assert.Equal("COMPLETE", State(statuses, West, Source));
        Assert.Equal("COMPLETE", State(statuses, Home, Partner));
        Assert.Equal(digest, await TaggedDigestAsync(second.Ecr(region: West), "durable", "v1"));
        Assert.Equal(digest, await TaggedDigestAsync(second.Ecr(Partner), "durable", "v1"));
    }

    private static void WithoutOutboxWorker(IServiceCollection services)
    {
        var worker = services.Single(service => service.ServiceType == typeof(IHostedService) && service.ImplementationType == typeof(OutboxJob));
        services.Remove(worker);
    }
}
