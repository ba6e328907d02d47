using System.Text;
using Berth.Domain.Manifests;
using static Berth.Tests.Domain.Manifests.ManifestFixtures;

namespace Berth.Tests.Domain.Manifests;

public sealed class ManifestValidationTests
{
    [Theory]
    [InlineData("sha256:4BB28D794D012D108889EDD9B235E30699CC2A000AC97100C5343A9C51E9B572")]
    [InlineData("sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b57")]
    [InlineData("sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b5720")]
    [InlineData("sha256:../x")]
    [InlineData("sha256:")]
    [InlineData("sha256")]
    [InlineData(":4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("SHA256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572")]
    [InlineData("sha512:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572")]
    [InlineData("sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b57g")]
    [InlineData(" sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572")]
    public void Malformed_layer_digest_is_invalid_and_named(string digest)
    {
        var error = ParseError(OciManifestWithLayer(digest));

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Contains("layers[0].digest", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{digest}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_digest_algorithm_is_named_in_the_message()
    {
        var error = ParseError(OciManifestWithLayer("md5:d41d8cd98f00b204e9800998ecf8427e"));

        Assert.Contains("unsupported algorithm 'md5'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_config_subject_and_child_digests_are_invalid()
    {
        var badConfig = OciManifest.Replace(OciConfigDigest, "sha256:abc", StringComparison.Ordinal);
        var badChild = OciIndex.Replace(Arm64Digest, Arm64Digest.ToUpperInvariant(), StringComparison.Ordinal);
        var badSubject = OciArtifactWithSubject.Replace(SubjectDigest, "sha256:../../etc/passwd", StringComparison.Ordinal);

        Assert.Contains("config.digest", ParseError(badConfig).Message, StringComparison.Ordinal);
        Assert.Contains("manifests[1].digest", ParseError(badChild).Message, StringComparison.Ordinal);
        Assert.Contains("subject.digest", ParseError(badSubject).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlong_digest_is_cut_short_in_the_message()
    {
        var digest = "sha256:" + new string('a', 5000);

        var error = ParseError(OciManifestWithLayer(digest));

        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("\"1024\"")]
    [InlineData("null")]
    [InlineData("9223372036854775808")]
    public void Size_that_is_not_a_non_negative_integer_is_invalid(string size)
    {
        var error = ParseError(OciManifestWithLayer(OciLayer1Digest, size));

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Contains("layers[0].size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_size_is_valid()
    {
        Assert.Equal(0, ParseOk(OciManifestWithLayer(OciLayer1Digest, "0")).Layers[0].Size);
    }

    [Theory]
    [InlineData("""{ "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1 }""", "layers[0].mediaType")]
    [InlineData("""{ "mediaType": "", "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1 }""", "layers[0].mediaType")]
    [InlineData("""{ "mediaType": 3, "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1 }""", "layers[0].mediaType")]
    [InlineData("""{ "mediaType": "application/vnd.oci.image.layer.v1.tar", "size": 1 }""", "layers[0].digest")]
    [InlineData("""{ "mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572" }""", "layers[0].size")]
    [InlineData(""" "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572" """, "layers[0]")]
    [InlineData("""{ "mediaType": "x/y", "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1, "annotations": { "a": 1 } }""", "layers[0].annotations")]
    [InlineData("""{ "mediaType": "x/y", "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1, "urls": "https://example.com" }""", "layers[0].urls")]
    [InlineData("""{ "mediaType": "x/y", "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572", "size": 1, "artifactType": false }""", "layers[0].artifactType")]
    public void Malformed_descriptor_fields_are_invalid_and_located(string layer, string expectedPath)
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{OciConfigDigest}}","size":1},
             "layers":[{{layer}}]}
            """;

        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.StartsWith(expectedPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_media_types_are_not_checked_against_a_list()
    {
        var json = DockerManifest.Replace("application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.oci.image.layer.v1.tar+zstd", StringComparison.Ordinal)
            .Replace("application/vnd.docker.container.image.v1+json", "application/vnd.example.config", StringComparison.Ordinal);

        Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", ParseOk(json).Layers[0].MediaType);
    }

    [Theory]
    [InlineData("config")]
    [InlineData("layers")]
    public void Image_manifest_without_config_or_layers_is_invalid(string field)
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{OciConfigDigest}}","size":1},
             "layers":[]}
            """.Replace($"\"{field}\":", "\"renamed\":", StringComparison.Ordinal);

        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Equal($"{field} is required", error.Message);
    }

    [Theory]
    [InlineData("\"config\": [], \"layers\": []")]
    [InlineData("\"config\": CONFIG, \"layers\": {}")]
    [InlineData("\"config\": CONFIG, \"layers\": [], \"subject\": \"sha256:ceaeee3c0f91c6c853bda5200efb5a1b94c85fd8bb21171047cbd19059c15722\"")]
    [InlineData("\"config\": CONFIG, \"layers\": [], \"annotations\": [\"a\"]")]
    [InlineData("\"config\": CONFIG, \"layers\": [], \"artifactType\": {}")]
    public void Top_level_fields_of_the_wrong_type_are_invalid(string fields)
    {
        var config = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{OciConfigDigest}}","size":1}""";
        var json = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",{{fields.Replace("CONFIG", config, StringComparison.Ordinal)}}}""";

        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Fact]
    public void Index_without_manifests_is_invalid()
    {
        var error = ParseError("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}""");

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Equal("manifests is required", error.Message);
    }

    [Fact]
    public void Empty_index_is_valid()
    {
        Assert.Empty(ParseOk("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""").Manifests);
    }

    [Theory]
    [InlineData("""{ "architecture": "amd64" }""", "manifests[0].platform.os")]
    [InlineData("""{ "os": "linux" }""", "manifests[0].platform.architecture")]
    [InlineData("""{ "architecture": "arm64", "os": "linux", "variant": 8 }""", "manifests[0].platform.variant")]
    [InlineData("\"linux/amd64\"", "manifests[0].platform")]
    public void Malformed_platform_is_invalid(string platform, string expectedPath)
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{Amd64Digest}}","size":10,"platform":{{platform}}}]}
            """;

        Assert.StartsWith(expectedPath, ParseError(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_os_version_is_read()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{Amd64Digest}}","size":10,
               "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.20348.2655","os.features":["win32k"]} }]}
            """;

        Assert.Equal(new ManifestPlatform("amd64", "windows", null, "10.0.20348.2655"), ParseOk(json).Manifests[0].Platform);
    }

    [Fact]
    public void Manifest_over_4_MiB_is_too_large()
    {
        var bytes = PaddedTo(ManifestParser.MaxManifestBytes + 1);

        var result = ManifestParser.Parse(bytes, ManifestMediaTypes.OciManifest);

        Assert.Equal(ManifestErrorKind.TooLarge, result.Error?.Kind);
        Assert.Contains("4194304", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_of_exactly_4_MiB_is_accepted()
    {
        var bytes = PaddedTo(ManifestParser.MaxManifestBytes);

        var result = ManifestParser.Parse(bytes, ManifestMediaTypes.OciManifest);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(4_194_304, result.Manifest.Size);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"application/vnd.oci.image.manifest.v1+json\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void Json_that_is_not_an_object_is_invalid(string json)
    {
        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\":2,}")]
    [InlineData("{\"schemaVersion\":2} {}")]
    [InlineData("{\"schemaVersion\":2 /* comment */}")]
    [InlineData("{'schemaVersion':2}")]
    public void Text_that_is_not_json_is_invalid(string text)
    {
        Assert.Equal(ManifestErrorKind.Invalid, ParseError(text).Kind);
    }

    [Fact]
    public void Invalid_utf8_is_invalid()
    {
        byte[] bytes = [.. "{\"schemaVersion\":2,\"mediaType\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.Equal(ManifestErrorKind.Invalid, ManifestParser.Parse(bytes, null).Error?.Kind);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json\ud800","manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"k":"\udc00"}}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"\ud800":"v"}}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"a/b","digest":"sha256:\ud800","size":1}]}""")]
    public void Escaped_unpaired_surrogates_are_invalid_without_throwing(string json)
    {
        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Fact]
    public void Escaped_characters_in_annotations_are_decoded()
    {
        var json = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"note":"caf\u00e9 \ud83d\udc33"}}""";

        Assert.Equal("café 🐳", ParseOk(json).Annotations?["note"]);
    }

    [Fact]
    public void Duplicate_keys_are_invalid()
    {
        // Two config digests would let a client and the registry disagree about what the manifest references.
        var json = OciManifest.Replace(
            $"\"digest\": \"{OciConfigDigest}\",",
            $"\"digest\": \"{OciConfigDigest}\", \"digest\": \"{OciLayer2Digest}\",",
            StringComparison.Ordinal);

        Assert.Equal(ManifestErrorKind.Invalid, ParseError(json).Kind);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"a\":", "}")]
    public void Deeply_nested_json_is_invalid_without_throwing(string open, string close)
    {
        const int depth = 100_000;
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "0" + string.Concat(Enumerable.Repeat(close, depth));
        var json = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"extra":{{nested}}}""";

        var error = ParseError(json);

        Assert.Equal(ManifestErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void Nesting_within_the_depth_limit_is_accepted()
    {
        var nested = new string('[', 50) + new string(']', 50);
        var json = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"extra":{{nested}}}""";

        Assert.True(Parse(json).IsSuccess);
    }

    [Fact]
    public void Every_truncation_and_byte_corruption_of_a_manifest_fails_cleanly()
    {
        var json = Encoding.UTF8.GetBytes(OciArtifactWithSubject);
        for (var length = 0; length < json.Length; length++)
        {
            var result = ManifestParser.Parse(json.AsMemory(0, length), null);
            Assert.False(result.IsSuccess);
            Assert.Equal(ManifestErrorKind.Invalid, result.Error.Kind);
        }

        byte[] replacements = [(byte)'"', (byte)'{', (byte)']', (byte)'\\', 0xFF, (byte)'-', (byte)'A'];
        for (var i = 0; i < json.Length; i++)
        {
            foreach (var replacement in replacements)
            {
                var corrupt = (byte[])json.Clone();
                corrupt[i] = replacement;

                // Any outcome is fine as long as it is a result, not an exception.
                var result = ManifestParser.Parse(corrupt, ManifestMediaTypes.OciManifest);
                Assert.True(result.IsSuccess || result.Error.Message.Length > 0);
            }
        }
    }

    [Fact]
    public void Byte_order_mark_is_refused()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(EmptyArtifact)];

        Assert.Equal(ManifestErrorKind.Invalid, ManifestParser.Parse(bytes, null).Error?.Kind);
    }

    // A valid OCI manifest padded with trailing spaces (still valid JSON) to exactly `length` bytes.
    private static byte[] PaddedTo(int length)
    {
        var json = Encoding.UTF8.GetBytes(OciManifest);
        var bytes = new byte[length];
        bytes.AsSpan().Fill((byte)' ');
        json.CopyTo(bytes, 0);
        return bytes;
    }
}
