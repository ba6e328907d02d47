using Berth.Domain.Manifests;
using static Berth.Tests.Domain.Manifests.ManifestFixtures;

namespace Berth.Tests.Domain.Manifests;

public sealed class ManifestMediaTypeResolutionTests
{
    private static readonly string OciManifestWithoutMediaType = OciManifest.Replace(
        "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "", StringComparison.Ordinal);

    private static readonly string OciIndexWithoutMediaType = OciIndex.Replace(
        "\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "", StringComparison.Ordinal);

    [Fact]
    public void Fixtures_without_mediaType_really_lack_the_field()
    {
        Assert.DoesNotContain(ManifestMediaTypes.OciManifest, OciManifestWithoutMediaType, StringComparison.Ordinal);
        Assert.DoesNotContain(ManifestMediaTypes.OciIndex, OciIndexWithoutMediaType, StringComparison.Ordinal);
        Assert.False(ParseOk(OciManifestWithoutMediaType).DeclaresMediaType);
        Assert.False(ParseOk(OciIndexWithoutMediaType).DeclaresMediaType);
    }

    [Fact]
    public void Content_type_differing_from_mediaType_field_is_invalid()
    {
        var error = ParseError(OciManifest, ManifestMediaTypes.DockerManifest);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Contains("mediaType in manifest does not match Content-Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_content_type_differing_from_mediaType_field_is_invalid()
    {
        Assert.Equal(ManifestErrorKind.Invalid, ParseError(DockerManifest, "application/vnd.example+json").Kind);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    [InlineData("  Application/VND.OCI.Image.Manifest.v1+JSON ")]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    [InlineData("")]
    [InlineData(null)]
    public void Matching_or_generic_content_type_takes_the_field(string? contentType)
    {
        var manifest = ParseOk(OciManifest, contentType);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
        Assert.True(manifest.DeclaresMediaType);
    }

    [Theory]
    [InlineData(ManifestMediaTypes.OciManifest)]
    [InlineData(ManifestMediaTypes.DockerManifest)]
    public void Missing_mediaType_field_is_resolved_from_content_type(string contentType)
    {
        var manifest = ParseOk(OciManifestWithoutMediaType, contentType);

        Assert.Equal(contentType, manifest.MediaType);
        Assert.False(manifest.DeclaresMediaType);
    }

    [Fact]
    public void Missing_mediaType_field_takes_the_canonical_spelling_of_the_content_type()
    {
        var manifest = ParseOk(OciIndexWithoutMediaType, "application/vnd.OCI.image.index.v1+json;charset=utf-8");

        Assert.Equal(ManifestMediaTypes.OciIndex, manifest.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    public void Without_any_media_type_config_and_layers_mean_an_oci_manifest(string? contentType)
    {
        var manifest = ParseOk(OciManifestWithoutMediaType, contentType);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
    }

    [Fact]
    public void Without_any_media_type_a_manifests_array_means_an_oci_index()
    {
        var manifest = ParseOk(OciIndexWithoutMediaType);

        Assert.Equal(ManifestMediaTypes.OciIndex, manifest.MediaType);
        Assert.True(manifest.IsIndex);
        Assert.Equal(3, manifest.Manifests.Count);
    }

    [Fact]
    public void Without_any_media_type_a_body_shaped_as_both_manifest_and_index_is_invalid()
    {
        var json = $$"""
            {"schemaVersion":2,"manifests":[],
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{OciConfigDigest}}","size":1},"layers":[]}
            """;

        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Fact]
    public void Without_any_media_type_an_unrecognisable_body_is_invalid()
    {
        Assert.Equal(ManifestErrorKind.Invalid, ParseError("""{"schemaVersion":2}""").Kind);
    }

    [Fact]
    public void Image_manifest_carrying_a_manifests_field_is_invalid()
    {
        var json = OciManifest.Replace("\"layers\": [", "\"manifests\": [],\n  \"layers\": [", StringComparison.Ordinal);

        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Fact]
    public void Index_carrying_layers_is_invalid()
    {
        var json = OciIndex.Replace("\"manifests\": [", "\"layers\": [],\n  \"manifests\": [", StringComparison.Ordinal);

        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Theory]
    [InlineData("application/vnd.example.custom.manifest.v1+json")]
    [InlineData("application/vnd.oci.image.config.v1+json")]
    [InlineData("application/vnd.oci.artifact.manifest.v1+json")]
    public void Unknown_manifest_media_type_is_unsupported(string mediaType)
    {
        var json = OciManifest.Replace(ManifestMediaTypes.OciManifest, mediaType, StringComparison.Ordinal);

        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Unsupported, error.Kind);
        Assert.Contains(mediaType, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_content_type_without_mediaType_field_is_unsupported()
    {
        Assert.Equal(ManifestErrorKind.Unsupported, ParseError(OciManifestWithoutMediaType, "text/plain").Kind);
    }

    [Fact]
    public void Non_string_mediaType_field_is_invalid()
    {
        Assert.Equal(ManifestErrorKind.Invalid, ParseError("""{"schemaVersion":2,"mediaType":7,"manifests":[]}""").Kind);
        Assert.Equal(ManifestErrorKind.Invalid, ParseError("""{"schemaVersion":2,"mediaType":"","manifests":[]}""").Kind);
    }

    [Theory]
    [InlineData(ManifestMediaTypes.DockerSchema1Manifest, null)]
    [InlineData(ManifestMediaTypes.DockerSchema1SignedManifest, null)]
    [InlineData(null, ManifestMediaTypes.DockerSchema1SignedManifest)]
    [InlineData(null, null)]
    public void Docker_schema1_is_unsupported_and_the_message_says_why(string? field, string? contentType)
    {
        var mediaType = field is null ? "" : $"\"mediaType\": \"{field}\",";
        var json = $$"""
            {
               "schemaVersion": 1,
               {{mediaType}}
               "name": "library/hello-world",
               "tag": "latest",
               "architecture": "amd64",
               "fsLayers": [ { "blobSum": "{{DockerLayer1Digest}}" } ],
               "history": [ { "v1Compatibility": "{}" } ],
               "signatures": []
            }
            """;

        var error = ParseError(json, contentType);

        Assert.Equal(ManifestErrorKind.Unsupported, error.Kind);
        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("ECR no longer accepts schema 1 pushes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1,")]
    [InlineData("\"schemaVersion\": 3,")]
    [InlineData("\"schemaVersion\": \"2\",")]
    [InlineData("\"schemaVersion\": 2.5,")]
    [InlineData("")]
    public void SchemaVersion_other_than_2_is_invalid(string schemaVersion)
    {
        var json = OciManifest.Replace("\"schemaVersion\": 2,", schemaVersion, StringComparison.Ordinal);

        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Contains("schemaVersion must be 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Media_type_helpers_classify_every_known_type()
    {
        Assert.True(ManifestMediaTypes.IsIndex(ManifestMediaTypes.OciIndex));
        Assert.True(ManifestMediaTypes.IsIndex(ManifestMediaTypes.DockerManifestList));
        Assert.False(ManifestMediaTypes.IsIndex(ManifestMediaTypes.OciManifest));
        Assert.True(ManifestMediaTypes.IsImageManifest(ManifestMediaTypes.OciManifest));
        Assert.True(ManifestMediaTypes.IsImageManifest(ManifestMediaTypes.DockerManifest));
        Assert.False(ManifestMediaTypes.IsImageManifest(ManifestMediaTypes.DockerSchema1Manifest));
        Assert.False(ManifestMediaTypes.IsImageManifest(null));
        Assert.True(ManifestMediaTypes.IsSchema1(ManifestMediaTypes.DockerSchema1SignedManifest));
        Assert.Equal(ManifestMediaTypes.DockerManifestList, ManifestMediaTypes.FindKnown("APPLICATION/vnd.docker.distribution.manifest.list.v2+json"));
        Assert.Null(ManifestMediaTypes.FindKnown("application/json"));
    }
}
