using System.Net;
using System.Text.Json;
using Berth.Domain;
using Berth.Storage.FileSystem;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Oci;

/// <summary>
/// A blob backend that hands out its own read URLs (as an object store does) is used by both protocols: /v2/ blob GETs
/// redirect to it and GetDownloadUrlForLayer returns it; HEAD still answers from Berth.
/// </summary>
public sealed class ReadUrlTests
{
    [Fact]
    public async Task GET_redirects_to_the_backend_URL_and_GetDownloadUrlForLayer_returns_it()
    {
        await using var host = await BerthHost.StartAsync(configureServices: services =>
            services.AddSingleton<IBlobStore>(provider => new UrlIssuingBlobStore(provider.GetRequiredService<FileSystemBlobStore>())));
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"redirected"}""");
        var image = await new RegistryPusher(host.Client).PushImageAsync("redirected", "v1", "redirected");
        var layer = image.Layers[0].Digest;
        var expected = UrlIssuingBlobStore.UrlOf(layer);

        using (var get = await host.Client.GetAsync($"/v2/redirected/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
            Assert.Equal(expected, get.Headers.Location);
            Assert.Equal(layer, get.Headers.GetValues("Docker-Content-Digest").Single());
        }

        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/redirected/blobs/{layer}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(image.Layers[0].Size, head.Content.Headers.ContentLength);
        }

        var answer = await host.Ecr().OkAsync("GetDownloadUrlForLayer", JsonSerializer.Serialize(new { repositoryName = "redirected", layerDigest = layer }));
        Assert.Equal(expected.AbsoluteUri, answer.GetProperty("downloadUrl").GetString());

        // A blob the repository does not have is still refused before any URL is made.
        using var unknown = await host.Client.GetAsync($"/v2/redirected/blobs/{Digest.Compute("absent"u8)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>The filesystem store, but answering read URLs as an object store would.</summary>
    private sealed class UrlIssuingBlobStore(IBlobStore inner) : IBlobStore
    {
        public static Uri UrlOf(string digest) => new($"https://objects.example/blobs/{digest}?expires=1200");

        public ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken) => inner.StatAsync(digest, cancellationToken);

        public ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(digest, offset, length, cancellationToken);

        public ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Uri?>(UrlOf(digest.ToString()));

        public ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken) =>
            inner.PutAsync(source, expected, expectedLength, cancellationToken);

        public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => inner.DeleteAsync(digest, cancellationToken);

        public IAsyncEnumerable<BlobInfo> EnumerateAsync(CancellationToken cancellationToken) => inner.EnumerateAsync(cancellationToken);
    }
}
