using System.Net;
using System.Security.Cryptography;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Storage;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// The pull-through cache in-process over a real upstream (docker-registry, pushed to with skopeo) with the clock in the
/// test's hands: the 24-hour tag check, and concurrent pulls of one blob sharing one upstream request.
/// </summary>
public sealed class PullThroughCacheTests
{
    private const string Accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

    [E2EFact(Tools.Skopeo, UpstreamRegistry.Tool)]
    public async Task A_cached_tag_is_checked_upstream_only_after_24_hours_and_then_follows_the_move()
    {
        await using var scene = await Scene.StartAsync();
        var v1 = scene.Push("v1", "team/app:latest");
        var first = await scene.ManifestDigestAsync("up/team/app", "latest");
        Assert.Equal(v1.Digest, first);
        await scene.PullBlobsAsync("up/team/app", v1);
        await scene.WaitStoredAsync("up/team/app", v1.Digest);

        var v2 = scene.Push("v2", "team/app:latest");
        var headsBefore = scene.Upstream.Served("HEAD", "/manifests/latest");
        scene.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(v1.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));
        Assert.Equal(headsBefore, scene.Upstream.Served("HEAD", "/manifests/latest"));

        scene.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(v2.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));
        await scene.PullBlobsAsync("up/team/app", v2);
        await scene.WaitStoredAsync("up/team/app", v2.Digest);
        Assert.Equal(v2.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));

        // Checked just now: the next day's pulls stay local even with the upstream gone.
        await scene.Upstream.StopAsync();
        scene.Clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal(v2.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));
        scene.Clock.Advance(TimeSpan.FromHours(13));
        Assert.Equal(v2.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));
    }

    [E2EFact(Tools.Skopeo, UpstreamRegistry.Tool)]
    public async Task Concurrent_pulls_of_one_missing_blob_make_one_upstream_request_and_all_get_the_bytes()
    {
        await using var scene = await Scene.StartAsync();
        var image = scene.Push("big", "team/big:v1", bytesPerLayer: 8 * 1024 * 1024);
        Assert.Equal(image.Digest, await scene.ManifestDigestAsync("up/team/big", "v1"));
        var layer = image.LayerDigests[0];

        var pulls = Enumerable.Range(0, 6).Select(_ => scene.BlobDigestAsync("up/team/big", layer)).ToArray();
        var digests = await Task.WhenAll(pulls);

        Assert.All(digests, digest => Assert.Equal(layer, digest));
        Assert.Equal(1, scene.Upstream.Served("GET", "/blobs/" + layer));
    }

    [E2EFact(Tools.Skopeo, UpstreamRegistry.Tool)]
    public async Task An_import_needs_BatchImportUpstreamImage_and_CreateRepository_while_a_cached_image_needs_only_the_pull()
    {
        // The caller may pull (every other action is allowed) but the test decides which import permissions it lacks.
        var refused = new HashSet<string> { "ecr:BatchImportUpstreamImage", "ecr:CreateRepository" };
        var authorizer = new RecordingAuthorizer((_, action, _) => refused.Contains(action) ? AuthorizationDecision.Denied : AuthorizationDecision.Allowed);
        await using var scene = await Scene.StartAsync(authorizer);
        var image = scene.Push("v1", "team/app:latest");
        const string Get = """{"repositoryName":"up/team/app","imageIds":[{"imageTag":"latest"}]}""";

        var oci = await scene.ManifestResponseAsync("up/team/app", "latest");
        Assert.Equal(HttpStatusCode.Forbidden, oci.Status);
        Assert.Contains("DENIED", oci.Body, StringComparison.Ordinal);
        Assert.Contains("ecr:BatchImportUpstreamImage", oci.Body, StringComparison.Ordinal);
        var api = await scene.Host.Ecr().FailsAsync("BatchGetImage", Get, "AccessDeniedException");
        Assert.Contains("is not authorized to perform: ecr:BatchImportUpstreamImage on resource: arn:aws:ecr:", api, StringComparison.Ordinal);
        using (var blob = await scene.Host.Client.GetAsync(new Uri($"/v2/up/team/app/blobs/{image.LayerDigests[0]}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blob.StatusCode);
        }

        Assert.Equal(0, scene.Upstream.Served("GET", "/manifests/latest"));
        await scene.Host.Ecr().FailsAsync("DescribeRepositories", """{"repositoryNames":["up/team/app"]}""", "RepositoryNotFoundException");

        // Import allowed but not the creation of the missing repository.
        refused.Remove("ecr:BatchImportUpstreamImage");
        var api2 = await scene.Host.Ecr().FailsAsync("BatchGetImage", Get, "AccessDeniedException");
        Assert.Contains("ecr:CreateRepository", api2, StringComparison.Ordinal);

        refused.Remove("ecr:CreateRepository");
        await scene.Host.Ecr().OkAsync("BatchGetImage", Get);
        await scene.WaitStoredAsync("up/team/app", image.Digest);

        // Cached: a caller who may only pull gets the image and its blobs, and nothing goes upstream.
        refused.UnionWith(["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]);
        var gets = scene.Upstream.Served("GET", "/");
        Assert.Equal(image.Digest, await scene.ManifestDigestAsync("up/team/app", "latest"));
        await scene.PullBlobsAsync("up/team/app", image);
        Assert.Equal(gets, scene.Upstream.Served("GET", "/"));
    }

    private sealed class Scene : IAsyncDisposable
    {
        private readonly TempDirectory _work = new();

        private Scene(UpstreamRegistry upstream, BerthHost host, ManualTimeProvider clock)
        {
            Upstream = upstream;
            Host = host;
            Clock = clock;
            Layout = new OciLayoutBuilder(_work.Path);
        }

        public UpstreamRegistry Upstream { get; }

        public BerthHost Host { get; }

        public ManualTimeProvider Clock { get; }

        public OciLayoutBuilder Layout { get; }

        public Skopeo Skopeo { get; } = new();

        public static async Task<Scene> StartAsync(IAuthorizer? authorizer = null)
        {
            var upstream = await UpstreamRegistry.StartAsync();
            var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
            var host = await BerthHost.StartAsync(AuthMode.None, configureServices: services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                if (authorizer is not null)
                {
                    services.AddSingleton<IAuthorizer>(authorizer);
                }
            });
            await host.Ecr().OkAsync(
                "CreatePullThroughCacheRule",
                $$"""{"ecrRepositoryPrefix":"up","upstreamRegistryUrl":"{{upstream.Url}}","upstreamRegistry":"generic"}""");
            return new Scene(upstream, host, clock);
        }

        /// <summary>Builds an image and pushes it to the upstream under <paramref name="reference"/> (name:tag).</summary>
        public BuiltImage Push(string tag, string reference, int bytesPerLayer = 64 * 1024)
        {
            var image = Layout.AddImage(tag, ImageFlavor.Oci, layers: 1, bytesPerLayer: bytesPerLayer);
            Skopeo.Ok(Skopeo.Copy(Layout.Source(tag, ImageFlavor.Oci), $"docker://{Upstream.Host}/{reference}"));
            return image;
        }

        public async Task<(HttpStatusCode Status, string Body)> ManifestResponseAsync(string repository, string reference)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
            request.Headers.TryAddWithoutValidation("Accept", Accept);
            using var response = await Host.Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async Task<string> ManifestDigestAsync(string repository, string reference)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
            request.Headers.TryAddWithoutValidation("Accept", Accept);
            using var response = await Host.Client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
            return OciLayoutBuilder.Sha256(body);
        }

        public async Task<string> BlobDigestAsync(string repository, string digest)
        {
            using var response = await Host.Client.GetAsync(new Uri($"/v2/{repository}/blobs/{digest}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
        }

        public async Task PullBlobsAsync(string repository, BuiltImage image)
        {
            foreach (var digest in image.LayerDigests.Append(image.ConfigDigest))
            {
                Assert.Equal(digest, await BlobDigestAsync(repository, digest));
            }
        }

        /// <summary>Waits until the image is in the store (not only served from memory while it is being stored).</summary>
        public async Task WaitStoredAsync(string repository, string digest)
        {
            for (var i = 0; i < 100; i++)
            {
                var described = await Host.Ecr().CallAsync(
                    "DescribeImages", $$"""{"repositoryName":"{{repository}}","imageIds":[{"imageDigest":"{{digest}}"}]}""");
                if (described.Status == HttpStatusCode.OK)
                {
                    return;
                }

                await Task.Delay(100);
            }

            throw new InvalidOperationException($"{repository}@{digest} was never stored");
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Upstream.DisposeAsync();
            Skopeo.Dispose();
            _work.Dispose();
        }
    }
}
