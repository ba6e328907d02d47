using System.Net;
using System.Text.Json;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Replication.ReplicationHarness;

namespace Berth.Tests.EndToEnd;

/// <summary>Berth's extension: a replication destination that is a remote OCI registry (here CNCF Distribution), pushed over /v2/.</summary>
public sealed class RemoteReplicationTests
{
    private const string RemoteRegion = "remote-1";
    private const string RemoteRegistry = "999999999999";

    [E2EFact(DistributionRegistry.Tool)]
    public async Task A_push_is_copied_to_the_remote_registry_with_its_digest_and_blobs_and_a_second_push_skips_blobs_it_has()
    {
        await using var remote = await DistributionRegistry.StartAsync();
        await using var host = await BerthHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Berth:Replication:Remotes:0:Region"] = RemoteRegion,
            ["Berth:Replication:Remotes:0:RegistryId"] = RemoteRegistry,
            ["Berth:Replication:Remotes:0:Url"] = remote.Url,
            ["Berth:Replication:Remotes:0:RepositoryPrefix"] = "mirror/",
        });
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"team/app"}""");
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((RemoteRegion, RemoteRegistry, "team/")));
        var pusher = new V2Pusher(host.Client, "team/app");
        var shared = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64 * 1024);

        var first = await pusher.PushImageAsync("v1", shared);
        var second = await pusher.PushImageAsync("v2", shared);

        Assert.Equal("COMPLETE", State(await SettledStatusesAsync(ecr, "team/app", first.Digest), RemoteRegion, RemoteRegistry));
        Assert.Equal("COMPLETE", State(await SettledStatusesAsync(ecr, "team/app", second.Digest), RemoteRegion, RemoteRegistry));
        using var http = new HttpClient();
        foreach (var (tag, image) in new[] { ("v1", first), ("v2", second) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{remote.Url}/v2/mirror/team/app/manifests/{tag}");
            request.Headers.Accept.ParseAdd(V2Pusher.OciManifest);
            using var manifest = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal(image.Digest, manifest.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(image.Manifest, await manifest.Content.ReadAsByteArrayAsync());
            foreach (var blob in image.LayerDigests.Append(image.ConfigDigest))
            {
                using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{remote.Url}/v2/mirror/team/app/blobs/{blob}"));
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            }
        }
    }

    [E2EFact(DistributionRegistry.Tool)]
    public async Task An_unreachable_remote_leaves_the_copy_in_progress_with_the_error_recorded_for_a_retry()
    {
        await using var remote = await DistributionRegistry.StartAsync();
        var url = remote.Url;
        await remote.DisposeAsync();
        await using var host = await BerthHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Berth:Replication:Remotes:0:Region"] = RemoteRegion,
            ["Berth:Replication:Remotes:0:RegistryId"] = RemoteRegistry,
            ["Berth:Replication:Remotes:0:Url"] = url,
        });
        var ecr = host.Ecr();
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"app"}""");
        await ecr.OkAsync("PutReplicationConfiguration", Configuration((RemoteRegion, RemoteRegistry, null)));

        var image = await new V2Pusher(host.Client, "app").PushImageAsync("v1");
        await Task.Delay(1500);

        Assert.Equal("IN_PROGRESS", State(await StatusesAsync(ecr, "app", image.Digest), RemoteRegion, RemoteRegistry));
        var pending = Assert.Single(await host.Services.GetRequiredService<Berth.Domain.IMetadataStore>().Outbox.ListAsync(
            "replication", $"{Source}/{Home}/app@{image.Digest}", CancellationToken.None));
        Assert.True(pending.Attempts >= 1);
        Assert.False(string.IsNullOrEmpty(pending.LastError));
        _ = JsonDocument.Parse(pending.Payload);
    }

    [Fact]
    public async Task A_remote_with_a_bad_url_stops_the_server_with_one_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => BerthHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Berth:Replication:Remotes:0:Region"] = RemoteRegion,
            ["Berth:Replication:Remotes:0:RegistryId"] = RemoteRegistry,
            ["Berth:Replication:Remotes:0:Url"] = "ftp://mirror",
        }));

        Assert.Contains("Berth:Replication:Remotes:0:Url", failure.Message, StringComparison.Ordinal);
    }
}
