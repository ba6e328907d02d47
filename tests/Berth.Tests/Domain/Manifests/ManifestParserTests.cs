using System.Security.Cryptography;
using System.Text;
using Berth.Domain.Manifests;
using static Berth.Tests.Domain.Manifests.ManifestFixtures;

namespace Berth.Tests.Domain.Manifests;

public sealed class ManifestParserTests
{
    [Fact]
    public void Docker_schema2_manifest_yields_config_and_layers()
    {
        var manifest = ParseOk(DockerManifest, ManifestMediaTypes.DockerManifest);

        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.True(manifest.DeclaresMediaType);
        Assert.Equal(new Descriptor("application/vnd.docker.container.image.v1+json", DockerConfigDigest, 7023), manifest.Config);
        Assert.Equal([DockerLayer1Digest, DockerLayer2Digest], manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", l.MediaType));
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.ArtifactType);
        Assert.Null(manifest.Annotations);
        Assert.Equal("application/vnd.docker.container.image.v1+json", manifest.ConfigMediaType);
    }

    [Fact]
    public void Docker_manifest_list_yields_children_with_platforms()
    {
        var manifest = ParseOk(DockerManifestList, ManifestMediaTypes.DockerManifestList);

        Assert.Equal(ManifestMediaTypes.DockerManifestList, manifest.MediaType);
        Assert.True(manifest.IsIndex);
        Assert.Null(manifest.Config);
        Assert.Empty(manifest.Layers);
        Assert.Equal(2, manifest.Manifests.Count);
        Assert.Equal(Amd64Digest, manifest.Manifests[0].Digest);
        Assert.Equal(1165, manifest.Manifests[0].Size);
        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.Manifests[0].MediaType);
        Assert.Equal(new ManifestPlatform("amd64", "linux"), manifest.Manifests[0].Platform);
        Assert.Equal(new ManifestPlatform("arm64", "linux", "v8"), manifest.Manifests[1].Platform);
        Assert.Null(manifest.ConfigMediaType);
    }

    [Fact]
    public void Oci_manifest_yields_layers_and_annotations()
    {
        var manifest = ParseOk(OciManifest, ManifestMediaTypes.OciManifest);

        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(OciConfigDigest, manifest.Config?.Digest);
        Assert.Equal(["application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+zstd"], manifest.Layers.Select(l => l.MediaType));
        Assert.Equal("https://github.com/example/app", manifest.Annotations?["org.opencontainers.image.source"]);
        Assert.Equal("application/vnd.oci.image.config.v1+json", manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Oci_index_yields_children_including_attestation_entry()
    {
        var manifest = ParseOk(OciIndex, ManifestMediaTypes.OciIndex);

        Assert.True(manifest.IsIndex);
        Assert.Equal([Amd64Digest, Arm64Digest, AttestationDigest], manifest.Manifests.Select(m => m.Digest));
        Assert.Equal(new ManifestPlatform("arm", "linux", "v7"), manifest.Manifests[1].Platform);
        Assert.Equal("attestation-manifest", manifest.Manifests[2].Annotations?["vnd.docker.reference.type"]);
        Assert.Null(manifest.EffectiveArtifactType);
        Assert.Null(manifest.Subject);
    }

    [Fact]
    public void Oci_artifact_exposes_artifactType_subject_and_annotations()
    {
        var manifest = ParseOk(OciArtifactWithSubject, ManifestMediaTypes.OciManifest);

        Assert.Equal("application/spdx+json", manifest.ArtifactType);
        Assert.Equal("application/spdx+json", manifest.EffectiveArtifactType);
        Assert.Equal("application/vnd.oci.empty.v1+json", manifest.ConfigMediaType);
        Assert.Equal(new Descriptor(ManifestMediaTypes.OciManifest, SubjectDigest, 1050), manifest.Subject);
        Assert.Equal("2025-06-01T12:00:00Z", manifest.Annotations?["org.opencontainers.image.created"]);
        Assert.Equal("sbom.spdx.json", manifest.Layers[0].Annotations?["org.opencontainers.image.title"]);
    }

    [Fact]
    public void Artifact_with_empty_config_and_no_layers_is_accepted()
    {
        var manifest = ParseOk(EmptyArtifact, ManifestMediaTypes.OciManifest);

        Assert.Empty(manifest.Layers);
        Assert.Equal(new Descriptor("application/vnd.oci.empty.v1+json", EmptyDigest, 2), manifest.Config);
        Assert.Equal("application/vnd.example.signature.v1", manifest.ArtifactType);
        Assert.Equal("application/vnd.example.signature.v1", manifest.EffectiveArtifactType);
        Assert.Equal(0, manifest.ImageSizeInBytes);
    }

    [Fact]
    public void Foreign_layer_keeps_its_urls()
    {
        var manifest = ParseOk(DockerManifestWithForeignLayer);

        var foreign = manifest.Layers[0];
        Assert.Equal("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", foreign.MediaType);
        Assert.Equal(ForeignLayerDigest, foreign.Digest);
        Assert.Equal(1654236946, foreign.Size);
        Assert.Equal([$"https://mcr.microsoft.com/v2/windows/servercore/blobs/{ForeignLayerDigest}"], foreign.Urls);
        Assert.Null(manifest.Layers[1].Urls);
    }

    [Fact]
    public void Index_with_artifactType_reports_it_as_effective_artifact_type()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/vnd.example.bundle",
             "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{SignatureDigest}}","size":500}],
             "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{SubjectDigest}}","size":1050} }
            """;

        var manifest = ParseOk(json);

        Assert.Equal("application/vnd.example.bundle", manifest.EffectiveArtifactType);
        Assert.Equal(SubjectDigest, manifest.Subject?.Digest);
        Assert.Null(manifest.Manifests[0].Platform);
    }

    [Fact]
    public void Unknown_fields_and_embedded_data_are_accepted()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{EmptyDigest}}","size":2,"data":"e30=","newUnspecifiedField":null},
             "layers":[],"somethingNew":{"nested":[1,2,3]} }
            """;

        var manifest = ParseOk(json);

        Assert.Equal(EmptyDigest, manifest.Config?.Digest);
    }

    [Fact]
    public void Null_optional_fields_count_as_absent()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","subject":null,"annotations":null,"artifactType":null,
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{OciConfigDigest}}","size":10,"urls":null,"platform":null},
             "layers":[]}
            """;

        var manifest = ParseOk(json);

        Assert.Null(manifest.Subject);
        Assert.Null(manifest.Annotations);
        Assert.Null(manifest.ArtifactType);
        Assert.Null(manifest.Config?.Urls);
    }

    [Fact]
    public void Sha512_digests_are_accepted_in_descriptors()
    {
        const string sha512 = "sha512:a4abd4448c49562d828115d13a1fccea927f52b4d5459297f8b43e42da89238bc13626e43dcb38ddb082488927ec904fb42057443983e88585179d50551afe62";

        var manifest = ParseOk(OciManifestWithLayer(sha512));

        Assert.Equal(sha512, manifest.Layers[0].Digest);
    }

    [Fact]
    public void Digest_is_sha256_of_the_exact_bytes_and_size_their_length()
    {
        var bytes = Encoding.UTF8.GetBytes(OciManifest);

        var manifest = ManifestParser.Parse(bytes, null).Manifest!;

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest.Digest);
        Assert.Equal(bytes.Length, manifest.Size);
    }

    [Fact]
    public void Whitespace_variants_of_one_manifest_have_different_digests()
    {
        var compact = ParseOk(OciManifest.ReplaceLineEndings("").Replace("  ", "", StringComparison.Ordinal));
        var pretty = ParseOk(OciManifest);
        var trailingNewline = ParseOk(OciManifest + "\n");

        Assert.Equal(compact.Layers, pretty.Layers);
        Assert.Equal(3, new[] { compact.Digest, pretty.Digest, trailingNewline.Digest }.Distinct().Count());
        Assert.Equal(pretty.Size + 1, trailingNewline.Size);
    }

    [Fact]
    public void Digest_of_the_empty_json_object_matches_the_well_known_empty_descriptor()
    {
        // The OCI empty descriptor is sha256("{}"); a known vector guards the hex encoding.
        var digest = Convert.ToHexStringLower(SHA256.HashData("{}"u8));

        Assert.Equal(EmptyDigest, "sha256:" + digest);
    }

    [Fact]
    public void Parsing_accepts_a_slice_of_a_larger_buffer()
    {
        var json = Encoding.UTF8.GetBytes(EmptyArtifact);
        var buffer = new byte[json.Length + 20];
        json.CopyTo(buffer, 10);

        var manifest = ManifestParser.Parse(buffer.AsMemory(10, json.Length), null).Manifest!;

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(json)), manifest.Digest);
    }
}
