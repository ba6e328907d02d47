using Berth.Tests.Events;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// "ECR Pull Through Cache Action" events from an in-process server caching from a real upstream (docker-registry):
/// SUCCESS with the cached image's digest, FAILED with why for a tag the upstream lacks.
/// </summary>
public sealed class PullThroughEventTests
{
    private const string Secret = "pull-through-secret";

    [E2EFact(Tools.Skopeo, UpstreamRegistry.Tool)]
    public async Task A_cached_image_sends_SUCCESS_with_its_digest_and_a_missing_tag_sends_FAILED()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        using var work = new TempDirectory();
        using var skopeo = new Skopeo();
        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci, layers: 1, bytesPerLayer: 4096);
        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{upstream.Host}/team/app:v1"));

        using var receiver = new WebhookReceiver();
        await using var host = await BerthHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Berth:Events:Webhooks:0:Url"] = receiver.Url,
            ["Berth:Events:Webhooks:0:Secret"] = Secret,
            ["Berth:Events:Webhooks:0:Types:0"] = "ECR Pull Through Cache Action",
        });
        var ecr = host.Ecr();
        await ecr.OkAsync(
            "CreatePullThroughCacheRule",
            $$"""{"ecrRepositoryPrefix":"up","upstreamRegistryUrl":"{{upstream.Url}}","upstreamRegistry":"generic"}""");

        // BatchGetImage waits until the image is stored, so its event has been written by then.
        await ecr.OkAsync("BatchGetImage", """{"repositoryName":"up/team/app","imageIds":[{"imageTag":"v1"}]}""");
        var cached = Assert.Single(await receiver.WaitForAsync(1));
        Assert.True(cached.SignedWith(Secret));
        Assert.Equal("ECR Pull Through Cache Action", cached.Type);
        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/up/team/app", cached.Json.GetProperty("resources")[0].GetString());
        var detail = cached.Detail;
        Assert.Equal("1", detail.GetProperty("rule-version").GetString());
        Assert.Equal("SUCCESS", detail.GetProperty("sync-status").GetString());
        Assert.Equal("up", detail.GetProperty("ecr-repository-prefix").GetString());
        Assert.Equal("up/team/app", detail.GetProperty("repository-name").GetString());
        Assert.Equal(upstream.Url, detail.GetProperty("upstream-registry-url").GetString());
        Assert.Equal("v1", detail.GetProperty("image-tag").GetString());
        Assert.Equal(image.Digest, detail.GetProperty("image-digest").GetString());
        Assert.False(detail.TryGetProperty("failure-code", out _));

        var refused = await ecr.CallAsync("BatchGetImage", """{"repositoryName":"up/team/app","imageIds":[{"imageTag":"missing"}]}""");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, refused.Status);
        var events = await receiver.WaitForAsync(2);
        Assert.Equal(2, events.Count);
        var failed = events[1].Detail;
        Assert.Equal("FAILED", failed.GetProperty("sync-status").GetString());
        Assert.Equal("missing", failed.GetProperty("image-tag").GetString());
        Assert.False(failed.TryGetProperty("image-digest", out _));
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("failure-code").GetString()));
        Assert.Contains("missing", failed.GetProperty("failure-reason").GetString(), StringComparison.Ordinal);

        // A cached image pulled again is no new sync.
        await ecr.OkAsync("BatchGetImage", """{"repositoryName":"up/team/app","imageIds":[{"imageTag":"v1"}]}""");
        await Task.Delay(500);
        Assert.Equal(2, receiver.Delivered.Count);
    }
}
