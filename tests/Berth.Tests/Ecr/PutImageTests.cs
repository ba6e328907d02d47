using System.Net;
using System.Text;
using Berth.Tests.Support;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Ecr;

/// <summary>PutImage: the checks ECR applies in order, tag moves, and that /v2/ sees what PutImage wrote.</summary>
public sealed class PutImageTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private BerthHost _host = null!;
    private RegistryPusher _push = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        _push = new RegistryPusher(_host.Client);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PutImage_stores_a_new_image_that_v2_serves_with_the_same_bytes_and_digest()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "new");
        var digest = RegistryPusher.DigestOf(manifest);

        var image = (await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageTag = "v1" }))).GetProperty("image");

        Assert.Equal(Account, image.GetProperty("registryId").GetString());
        Assert.Equal("app", image.GetProperty("repositoryName").GetString());
        Assert.Equal(digest, image.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal("v1", image.GetProperty("imageId").GetProperty("imageTag").GetString());
        Assert.Equal(manifest, image.GetProperty("imageManifest").GetString());
        Assert.Equal(RegistryPusher.OciManifest, image.GetProperty("imageManifestMediaType").GetString());
        foreach (var reference in new[] { "v1", digest })
        {
            var (status, body, served) = await _push.GetManifestAsync("app", reference);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(Encoding.UTF8.GetBytes(manifest), body);
            Assert.Equal(digest, served);
        }
    }

    [Fact]
    public async Task PutImage_without_a_tag_stores_an_untagged_image()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "untagged");

        var image = (await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest }))).GetProperty("image");

        Assert.False(image.GetProperty("imageId").TryGetProperty("imageTag", out _));
        var listed = Assert.Single((await Ecr.OkAsync("ListImages", """{"repositoryName":"app","filter":{"tagStatus":"UNTAGGED"}}""")).GetProperty("imageIds").EnumerateArray());
        Assert.Equal(RegistryPusher.DigestOf(manifest), listed.GetProperty("imageDigest").GetString());
    }

    [Fact]
    public async Task PutImage_of_the_same_manifest_and_tag_again_is_ImageAlreadyExistsException()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "again");
        var request = Of(new { repositoryName = "app", imageManifest = manifest, imageTag = "v1" });
        await Ecr.OkAsync("PutImage", request);

        var message = await Ecr.FailsAsync("PutImage", request, "ImageAlreadyExistsException");
        var untagged = await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest }), "ImageAlreadyExistsException");

        Assert.Equal($"Image with digest '{RegistryPusher.DigestOf(manifest)}' and tag 'v1' already exists in the repository with name 'app' in registry with id '{Account}'", message);
        Assert.Contains(RegistryPusher.DigestOf(manifest), untagged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutImage_adds_a_new_tag_to_an_existing_image()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "retag");
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageTag = "v1" }));
        var pushedAt = (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails")[0].GetProperty("imagePushedAt").GetDecimal();
        await Task.Delay(20);

        var image = (await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageTag = "stable" }))).GetProperty("image");

        Assert.Equal("stable", image.GetProperty("imageId").GetProperty("imageTag").GetString());
        var detail = Assert.Single((await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails").EnumerateArray());
        Assert.Equal(["stable", "v1"], detail.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(pushedAt, detail.GetProperty("imagePushedAt").GetDecimal());
        Assert.Equal(RegistryPusher.DigestOf(manifest), (await _push.GetManifestAsync("app", "stable")).Digest);
    }

    [Fact]
    public async Task PutImage_moving_a_mutable_tag_leaves_the_old_image_untagged_but_stored()
    {
        await CreateRepositoryAsync("app");
        var old = await ManifestWithBlobsAsync("app", "old");
        var current = await ManifestWithBlobsAsync("app", "current");
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = old, imageTag = "latest" }));

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = current, imageTag = "latest" }));

        Assert.Equal(RegistryPusher.DigestOf(current), (await _push.GetManifestAsync("app", "latest")).Digest);
        var untagged = Assert.Single((await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app","filter":{"tagStatus":"UNTAGGED"}}""")).GetProperty("imageDetails").EnumerateArray());
        Assert.Equal(RegistryPusher.DigestOf(old), untagged.GetProperty("imageDigest").GetString());
        Assert.False(untagged.TryGetProperty("imageTags", out _));
        Assert.Equal(HttpStatusCode.OK, (await _push.GetManifestAsync("app", RegistryPusher.DigestOf(old))).Status);
        var listed = (await Ecr.OkAsync("ListImages", """{"repositoryName":"app"}""")).GetProperty("imageIds").EnumerateArray().Select(Key);
        Assert.Equal([$"{RegistryPusher.DigestOf(current)}:latest", RegistryPusher.DigestOf(old)], listed);
    }

    [Fact]
    public async Task PutImage_moving_a_tag_on_an_immutable_repository_is_ImageTagAlreadyExistsException()
    {
        await CreateRepositoryAsync("locked", "IMMUTABLE");
        var first = await ManifestWithBlobsAsync("locked", "first");
        var second = await ManifestWithBlobsAsync("locked", "second");
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "locked", imageManifest = first, imageTag = "v1" }));

        var message = await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "locked", imageManifest = second, imageTag = "v1" }), "ImageTagAlreadyExistsException");

        Assert.Equal("The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the tag is immutable.", message);
        Assert.Equal(RegistryPusher.DigestOf(first), (await _push.GetManifestAsync("locked", "v1")).Digest);
        Assert.Equal(1, (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"locked"}""")).GetProperty("imageDetails").GetArrayLength());
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "locked", imageManifest = second, imageTag = "v2" }));
    }

    [Fact]
    public async Task PutImage_moves_a_tag_excluded_from_immutability()
    {
        await Ecr.OkAsync("CreateRepository", """
            {"repositoryName":"mixed","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"latest"}]}
            """);
        var first = await ManifestWithBlobsAsync("mixed", "first");
        var second = await ManifestWithBlobsAsync("mixed", "second");
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "mixed", imageManifest = first, imageTag = "latest" }));
        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "mixed", imageManifest = first, imageTag = "v1" }));

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "mixed", imageManifest = second, imageTag = "latest" }));
        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "mixed", imageManifest = second, imageTag = "v1" }), "ImageTagAlreadyExistsException");
    }

    [Fact]
    public async Task PutImage_with_an_imageDigest_other_than_the_manifests_is_ImageDigestDoesNotMatchException()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "digest");

        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageDigest = "sha256:" + new string('d', 64) }), "ImageDigestDoesNotMatchException");
        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageDigest = "not-a-digest" }), "InvalidParameterException");
        Assert.Equal(0, (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails").GetArrayLength());

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageDigest = RegistryPusher.DigestOf(manifest) }));
    }

    [Fact]
    public async Task PutImage_referencing_a_layer_the_repository_lacks_is_LayersNotFoundException()
    {
        await CreateRepositoryAsync("app");
        await CreateRepositoryAsync("elsewhere");
        var config = new TestDescriptor(RegistryPusher.OciConfig, await _push.PushBlobAsync("app", "{}"u8.ToArray()), 2);
        var foreignLayer = RegistryPusher.Bytes("foreign", 10);
        var layer = new TestDescriptor(RegistryPusher.OciLayer, await _push.PushBlobAsync("elsewhere", foreignLayer), 10);
        var manifest = RegistryPusher.ImageManifest(config, [layer]);

        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageTag = "v1" }), "LayersNotFoundException");

        Assert.Equal(0, (await Ecr.OkAsync("ListImages", """{"repositoryName":"app"}""")).GetProperty("imageIds").GetArrayLength());
    }

    [Fact]
    public async Task PutImage_of_an_index_with_a_missing_child_is_ReferencedImagesNotFoundException()
    {
        await CreateRepositoryAsync("multi");
        var child = await _push.PushImageAsync("multi", null, "present");
        var missing = new TestDescriptor(RegistryPusher.OciManifest, "sha256:" + new string('e', 64), 123);

        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "multi", imageManifest = RegistryPusher.Index([child.AsDescriptor(), missing]), imageTag = "v1" }),
            "ReferencedImagesNotFoundException");

        var index = RegistryPusher.Index([child.AsDescriptor()]);
        var stored = (await Ecr.OkAsync("PutImage", Of(new { repositoryName = "multi", imageManifest = index, imageTag = "v1" }))).GetProperty("image");
        Assert.Equal(RegistryPusher.OciIndex, stored.GetProperty("imageManifestMediaType").GetString());
    }

    [Fact]
    public async Task PutImage_of_a_manifest_without_any_media_type_is_InvalidParameterException()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", null, "bare");
        var bare = RegistryPusher.ImageManifest(image.Config, image.Layers, mediaType: null, annotation: "bare");

        var message = await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = bare, imageTag = "v1" }), "InvalidParameterException");
        Assert.Equal("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'", message);

        var stored = (await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = bare, imageTag = "v1", imageManifestMediaType = RegistryPusher.OciManifest })))
            .GetProperty("image");
        Assert.Equal(RegistryPusher.OciManifest, stored.GetProperty("imageManifestMediaType").GetString());
        var (_, body, digest) = await _push.GetManifestAsync("app", "v1");
        Assert.Equal(Encoding.UTF8.GetBytes(bare), body);
        Assert.Equal(RegistryPusher.DigestOf(bare), digest);
    }

    [Fact]
    public async Task PutImage_with_an_imageManifestMediaType_contradicting_the_manifest_is_InvalidParameterException()
    {
        await CreateRepositoryAsync("app");
        var manifest = await ManifestWithBlobsAsync("app", "contradiction");

        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "app", imageManifest = manifest, imageManifestMediaType = RegistryPusher.DockerManifest }), "InvalidParameterException");
        await Ecr.FailsAsync("PutImage", """{"repositoryName":"app","imageManifest":"{not json"}""", "InvalidParameterException");
    }

    [Fact]
    public async Task PutImage_to_a_missing_repository_is_RepositoryNotFoundException()
    {
        var manifest = RegistryPusher.ImageManifest(new TestDescriptor(RegistryPusher.OciConfig, RegistryPusher.DigestOf("{}"), 2), []);
        await Ecr.FailsAsync("PutImage", Of(new { repositoryName = "missing", imageManifest = manifest, imageTag = "v1" }), "RepositoryNotFoundException");
    }

    [Fact]
    public async Task A_tag_moved_with_PutImage_moves_for_v2_and_a_tag_moved_over_v2_moves_for_ECR()
    {
        await CreateRepositoryAsync("app");
        var a = await _push.PushImageAsync("app", "latest", "a");
        var b = await ManifestWithBlobsAsync("app", "b");

        await Ecr.OkAsync("PutImage", Of(new { repositoryName = "app", imageManifest = b, imageTag = "latest" }));
        Assert.Equal(RegistryPusher.DigestOf(b), (await _push.GetManifestAsync("app", "latest")).Digest);

        await _push.PushManifestAsync("app", "latest", a.Manifest);
        var got = await Ecr.OkAsync("BatchGetImage", """{"repositoryName":"app","imageIds":[{"imageTag":"latest"}]}""");
        Assert.Equal(a.Digest, got.GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(2, (await Ecr.OkAsync("DescribeImages", """{"repositoryName":"app"}""")).GetProperty("imageDetails").GetArrayLength());
    }

    [Fact]
    public async Task The_retag_recipe_BatchGetImage_then_PutImage_adds_a_tag_without_a_new_digest()
    {
        await CreateRepositoryAsync("app");
        var image = await _push.PushImageAsync("app", "v1", "retag", mediaType: RegistryPusher.DockerManifest);
        var got = (await Ecr.OkAsync("BatchGetImage", """{"repositoryName":"app","imageIds":[{"imageTag":"v1"}]}""")).GetProperty("images")[0];

        var put = (await Ecr.OkAsync("PutImage", Of(new
        {
            repositoryName = "app",
            imageManifest = got.GetProperty("imageManifest").GetString(),
            imageManifestMediaType = got.GetProperty("imageManifestMediaType").GetString(),
            imageTag = "release",
        }))).GetProperty("image");

        Assert.Equal(image.Digest, put.GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(image.Digest, (await _push.GetManifestAsync("app", "release")).Digest);
    }

    private async Task CreateRepositoryAsync(string name, string mutability = "MUTABLE") =>
        await Ecr.OkAsync("CreateRepository", Of(new { repositoryName = name, imageTagMutability = mutability }));

    /// <summary>Pushes a config and a layer over /v2/ and returns a manifest for them that is not pushed yet.</summary>
    private async Task<string> ManifestWithBlobsAsync(string repository, string seed)
    {
        var configBytes = Encoding.UTF8.GetBytes($"{{\"seed\":\"{seed}\"}}");
        var layerBytes = RegistryPusher.Bytes(seed, 64);
        var config = new TestDescriptor(RegistryPusher.OciConfig, await _push.PushBlobAsync(repository, configBytes), configBytes.Length);
        var layer = new TestDescriptor(RegistryPusher.OciLayer, await _push.PushBlobAsync(repository, layerBytes), layerBytes.Length);
        return RegistryPusher.ImageManifest(config, [layer]);
    }
}
