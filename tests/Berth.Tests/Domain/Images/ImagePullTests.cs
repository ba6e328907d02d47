using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Lifecycle;
using Berth.Tests.Oci;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Images;

/// <summary>ImageService.PullAsync: the one place that decides a manifest can be pulled over /v2/.</summary>
public sealed class ImagePullTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private ImageService Images => fixture.Host.Services.GetRequiredService<ImageService>();

    private static RepositoryKey Key(string name) => new("123456789012", "us-east-1", name);

    [Fact]
    public async Task An_archived_image_is_not_pullable_by_tag_or_digest_until_it_is_restored()
    {
        var name = await fixture.CreateRepositoryAsync("pull");
        var pushed = await fixture.Oci.PushImageAsync(name, "v1", "pull");
        var repository = Key(name);
        var lifecycle = fixture.Host.Services.GetRequiredService<LifecycleService>();
        var image = (await Images.DescribeOneAsync(repository, new ImageId(null, "v1"), CancellationToken.None)).Value;

        await lifecycle.SetStorageClassAsync(repository, image, ImageStorageClass.Archive, CancellationToken.None);
        var byTag = await Images.PullAsync(repository, ManifestReference.ForTag("v1"), CancellationToken.None);
        var byDigest = await Images.PullAsync(repository, ManifestReference.ForDigest(pushed.Digest), CancellationToken.None);
        await lifecycle.SetStorageClassAsync(repository, image with { StorageClass = ImageStorageClass.Archive }, ImageStorageClass.Standard, CancellationToken.None);
        var restored = await Images.PullAsync(repository, ManifestReference.ForTag("v1"), CancellationToken.None);

        Assert.False(ImageService.IsPullable(image with { StorageClass = ImageStorageClass.Archive }));
        Assert.Equal(ErrorCode.ImageNotFound, byTag.Error!.Code);
        Assert.Equal($"manifest {pushed.Digest} is archived; restore it before pulling", byTag.Error.Message);
        Assert.Equal(byTag.Error, byDigest.Error);
        Assert.Equal(pushed.Digest, restored.Value.Digest);
        Assert.Equal(pushed.Size, restored.Value.Manifest!.Value.Length);
    }

    [Fact]
    public async Task Pulling_what_is_not_there_says_whether_the_image_or_the_repository_is_missing()
    {
        var name = await fixture.CreateRepositoryAsync("pull-missing");

        var image = await Images.PullAsync(Key(name), ManifestReference.ForTag("nope"), CancellationToken.None);
        var repository = await Images.PullAsync(Key("no-such-repository"), ManifestReference.ForTag("v1"), CancellationToken.None);

        Assert.Equal(ErrorCode.ImageNotFound, image.Error!.Code);
        Assert.DoesNotContain("archived", image.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.RepositoryNotFound, repository.Error!.Code);
    }
}
