using Berth.Domain.Manifests;
using static Berth.Tests.Domain.Manifests.ManifestFixtures;

namespace Berth.Tests.Domain.Manifests;

public sealed class ParsedManifestTests
{
    [Fact]
    public void ImageSizeInBytes_sums_layer_sizes_without_the_config()
    {
        var manifest = ParseOk(DockerManifest);

        Assert.Equal(31357311 + 25348470, manifest.ImageSizeInBytes);
    }

    [Fact]
    public void ImageSizeInBytes_counts_foreign_layers_as_declared()
    {
        Assert.Equal(1654236946 + 1143, ParseOk(DockerManifestWithForeignLayer).ImageSizeInBytes);
    }

    [Fact]
    public void ImageSizeInBytes_saturates_instead_of_overflowing()
    {
        var manifest = ParseOk(OciManifestWithLayer(OciLayer1Digest, long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var doubled = manifest with { Layers = [manifest.Layers[0], manifest.Layers[0]] };

        Assert.Equal(long.MaxValue, doubled.ImageSizeInBytes);
    }

    [Fact]
    public void Index_ImageSizeInBytes_is_zero_until_computed_from_children()
    {
        var index = ParseOk(DockerManifestList);

        Assert.True(index.IsIndex);
        Assert.Equal(0, index.ImageSizeInBytes);
    }

    [Fact]
    public void Index_size_is_the_largest_child_not_the_sum()
    {
        Assert.Equal(56705781, ParsedManifest.ComputeIndexSize([31357311, 56705781, 2048]));
        Assert.Equal(0, ParsedManifest.ComputeIndexSize([]));
    }

    [Fact]
    public void Effective_artifact_type_prefers_artifactType_then_config_media_type()
    {
        Assert.Equal("application/spdx+json", ParseOk(OciArtifactWithSubject).EffectiveArtifactType);
        Assert.Equal("application/vnd.docker.container.image.v1+json", ParseOk(DockerManifest).EffectiveArtifactType);
        Assert.Null(ParseOk(OciIndex).EffectiveArtifactType);
    }

    [Fact]
    public void Config_media_type_is_ecr_artifact_media_type_and_absent_for_indexes()
    {
        Assert.Equal("application/vnd.oci.image.config.v1+json", ParseOk(OciManifest).ConfigMediaType);
        Assert.Null(ParseOk(DockerManifestList).ConfigMediaType);
    }
}
