using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Collection;

public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        await _host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"gc/app"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private GarbageCollector Collector => _host.Services.GetRequiredService<GarbageCollector>();

    private IBlobStore Blobs => _host.Services.GetRequiredService<IBlobStore>();

    private static string Sha(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<string> PushBlobAsync(byte[] bytes)
    {
        var digest = Sha(bytes);
        using var response = await _host.Client.PostAsync($"/v2/gc/app/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Pushes a one-layer image under a tag and returns the manifest digest.</summary>
    private async Task<string> PushImageAsync(string tag)
    {
        var layer = RandomNumberGenerator.GetBytes(4096);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","tag":"{{tag}}"}""");
        var layerDigest = await PushBlobAsync(layer);
        var configDigest = await PushBlobAsync(config);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layerDigest}}","size":{{layer.Length}}}]}
            """);
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await _host.Client.PutAsync($"/v2/gc/app/manifests/{tag}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Sha(manifest);
    }

    private async Task PullAsync(string reference)
    {
        using var manifestResponse = await _host.Client.GetAsync($"/v2/gc/app/manifests/{reference}");
        Assert.Equal(HttpStatusCode.OK, manifestResponse.StatusCode);
        var manifest = System.Text.Json.JsonDocument.Parse(await manifestResponse.Content.ReadAsStringAsync()).RootElement;
        var digests = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)
            .Append(manifest.GetProperty("config").GetProperty("digest").GetString()!);
        foreach (var digest in digests)
        {
            var bytes = await _host.Client.GetByteArrayAsync($"/v2/gc/app/blobs/{digest}");
            Assert.Equal(digest, Sha(bytes));
        }
    }

    [Fact]
    public async Task Unreferenced_blobs_past_the_grace_period_are_deleted_and_live_ones_kept()
    {
        var kept = await PushImageAsync("kept");
        var orphan = await PushBlobAsync(RandomNumberGenerator.GetBytes(1024));
        var deletedImage = await PushImageAsync("deleted");
        using (var delete = await _host.Client.DeleteAsync($"/v2/gc/app/manifests/{deletedImage}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        var report = await Collector.CollectAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(3, report.FilesDeleted); // the orphan, and the deleted image's layer and config
        Assert.Null(await Blobs.StatAsync(Digest.Parse(orphan), CancellationToken.None));
        using var gone = await _host.Client.GetAsync($"/v2/gc/app/blobs/{orphan}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await PullAsync(kept);
        await PullAsync("kept");
    }

    [Fact]
    public async Task Blobs_younger_than_the_grace_period_survive_even_when_unreferenced()
    {
        var orphan = await PushBlobAsync(RandomNumberGenerator.GetBytes(1024));

        var report = await Collector.CollectAsync(TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(0, report.FilesDeleted);
        Assert.NotNull(await Blobs.StatAsync(Digest.Parse(orphan), CancellationToken.None));
    }

    [Fact]
    public async Task Collection_in_a_loop_while_pushing_never_loses_a_pushed_image()
    {
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collecting = Task.Run(async () =>
        {
            // A one-second grace period keeps the race with in-flight pushes real but winnable.
            while (!stop.IsCancellationRequested)
            {
                await Collector.CollectAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
                Interlocked.Increment(ref collections);
            }
        });

        var pushed = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            pushed.Add(await PushImageAsync($"v{i}"));
        }

        await stop.CancelAsync();
        await collecting;

        Assert.True(collections > 1, "the collector ran alongside the pushes");
        for (var i = 0; i < pushed.Count; i++)
        {
            await PullAsync(pushed[i]);
            await PullAsync($"v{i}");
        }
    }

    [Fact]
    public async Task A_blob_file_the_store_never_recorded_is_removed_once_old()
    {
        var bytes = RandomNumberGenerator.GetBytes(512);
        var digest = Digest.Parse(Sha(bytes));
        using (var stream = new MemoryStream(bytes))
        {
            Assert.True((await Blobs.PutAsync(stream, digest, bytes.Length, CancellationToken.None)).IsCommitted);
        }

        var report = await Collector.CollectAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(1, report.FilesDeleted);
        Assert.Null(await Blobs.StatAsync(digest, CancellationToken.None));
    }
}
