using System.Text;
using Berth.Domain;
using Berth.Domain.Blobs;
using Berth.Tests.Oci;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Blobs;

/// <summary>BlobService on a real store: what a repository sees of a blob, and the layer checks ECR asks for.</summary>
public sealed class BlobServiceTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private BlobService Blobs => fixture.Host.Services.GetRequiredService<BlobService>();

    private OciClient Oci => fixture.Oci;

    // The account BerthHost serves and the default region, which /v2/ uses without SigV4.
    private static RepositoryKey Key(string name) => new("123456789012", "us-east-1", name);

    [Fact]
    public async Task Find_tells_an_unknown_repository_from_a_blob_the_repository_does_not_have()
    {
        var owner = await fixture.CreateRepositoryAsync("blob-owner");
        var other = await fixture.CreateRepositoryAsync("blob-other");
        var blob = await Oci.PushBlobAsync(owner, "find me");

        var found = await Blobs.FindAsync(Key(owner), blob.Digest, CancellationToken.None);
        var elsewhere = await Blobs.FindAsync(Key(other), blob.Digest, CancellationToken.None);
        var nowhere = await Blobs.FindAsync(Key("no-such-repository"), blob.Digest, CancellationToken.None);

        Assert.Equal(blob.Size, found.Value.Size);
        Assert.Equal(ErrorCode.BlobNotFound, elsewhere.Error!.Code);
        Assert.Equal($"blob {blob.Digest} is unknown to repository {other}", elsewhere.Error.Message);
        Assert.Equal(ErrorCode.RepositoryNotFound, nowhere.Error!.Code);
    }

    [Fact]
    public async Task OpenRead_returns_exactly_the_requested_range()
    {
        var repository = await fixture.CreateRepositoryAsync("blob-range");
        var blob = await Oci.PushBlobAsync(repository, "0123456789");
        var record = (await Blobs.FindAsync(Key(repository), blob.Digest, CancellationToken.None)).Value;

        await using var content = await Blobs.OpenReadAsync(record, 3, 4, CancellationToken.None);
        using var reader = new StreamReader(content!, Encoding.UTF8);

        Assert.Equal("3456", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Unlink_hides_the_blob_from_one_repository_while_a_mount_elsewhere_still_reads_it()
    {
        var source = await fixture.CreateRepositoryAsync("blob-source");
        var target = await fixture.CreateRepositoryAsync("blob-target");
        var blob = await Oci.PushBlobAsync(source, "shared bytes");

        Assert.NotNull(await Blobs.MountAsync(Key(target), Key(source), blob.Digest, CancellationToken.None));
        Assert.Null(await Blobs.UnlinkAsync(Key(source), blob.Digest, CancellationToken.None));

        Assert.Equal(ErrorCode.BlobNotFound, (await Blobs.FindAsync(Key(source), blob.Digest, CancellationToken.None)).Error!.Code);
        Assert.Equal(ErrorCode.BlobNotFound, (await Blobs.UnlinkAsync(Key(source), blob.Digest, CancellationToken.None))!.Code);
        Assert.Equal(ErrorCode.RepositoryNotFound, (await Blobs.UnlinkAsync(Key("no-such-repository"), blob.Digest, CancellationToken.None))!.Code);
        var mounted = await Blobs.FindAsync(Key(target), blob.Digest, CancellationToken.None);
        await using var content = await Blobs.OpenReadAsync(mounted.Value, 0, blob.Size, CancellationToken.None);
        using var reader = new StreamReader(content!, Encoding.UTF8);
        Assert.Equal("shared bytes", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Mount_needs_the_blob_in_the_source_repository()
    {
        var source = await fixture.CreateRepositoryAsync("mount-source");
        var target = await fixture.CreateRepositoryAsync("mount-target");
        var blob = await Oci.PushBlobAsync(target, "only in the target");

        Assert.Null(await Blobs.MountAsync(Key(source), Key(target), Digest.Compute("absent"u8), CancellationToken.None));
        Assert.Null(await Blobs.MountAsync(Key(target), Key(source), blob.Digest, CancellationToken.None));
        Assert.Equal(ErrorCode.BlobNotFound, (await Blobs.FindAsync(Key(source), blob.Digest, CancellationToken.None)).Error!.Code);
    }

    [Fact]
    public async Task FindLayers_answers_in_request_order_with_null_for_layers_the_repository_lacks()
    {
        var repository = await fixture.CreateRepositoryAsync("layers");
        var first = await Oci.PushBlobAsync(repository, "first layer");
        var second = await Oci.PushBlobAsync(repository, "second layer, longer");
        var absent = Digest.Compute("absent layer"u8);

        var found = await Blobs.FindLayersAsync(Key(repository), [second.Digest, absent, first.Digest], CancellationToken.None);

        Assert.Equal([second.Size, null, first.Size], found.Value.Select(blob => blob?.Size));
        Assert.Equal(
            ErrorCode.RepositoryNotFound,
            (await Blobs.FindLayersAsync(Key("no-such-repository"), [], CancellationToken.None)).Error!.Code);
    }

    [Fact]
    public async Task A_layer_is_downloadable_only_once_an_image_of_the_repository_references_it()
    {
        var repository = await fixture.CreateRepositoryAsync("download");
        var config = await Oci.PushBlobAsync(repository, """{"download":true}""", TestManifests.OciConfig);
        var layer = await Oci.PushBlobAsync(repository, "layer to download");

        var unreferenced = await Blobs.FindDownloadableLayerAsync(Key(repository), layer.Digest, CancellationToken.None);
        await Oci.PushManifestAsync(repository, "v1", TestManifests.Oci(config, [layer]), TestManifests.OciManifest);
        var referenced = await Blobs.FindDownloadableLayerAsync(Key(repository), layer.Digest, CancellationToken.None);
        var missing = await Blobs.FindDownloadableLayerAsync(Key(repository), Digest.Compute("missing"u8), CancellationToken.None);

        Assert.Equal(ErrorCode.LayerInaccessible, unreferenced.Error!.Code);
        Assert.Equal(layer.Size, referenced.Value.Size);
        Assert.Equal(ErrorCode.BlobNotFound, missing.Error!.Code);
        Assert.StartsWith("The layer with digest", missing.Error.Message, StringComparison.Ordinal);
        Assert.Equal(
            ErrorCode.RepositoryNotFound,
            (await Blobs.FindDownloadableLayerAsync(Key("no-such-repository"), layer.Digest, CancellationToken.None)).Error!.Code);
    }
}
