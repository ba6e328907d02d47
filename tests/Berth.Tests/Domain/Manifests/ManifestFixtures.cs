using System.Text;
using Berth.Domain.Manifests;

namespace Berth.Tests.Domain.Manifests;

/// <summary>Manifests shaped like what docker, buildx, containerd and oras push.</summary>
internal static class ManifestFixtures
{
    public const string EmptyDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public const string DockerConfigDigest = "sha256:991e5b930fd9f8bfd9904b057b8860e4a9c3ba6d63c93f5fb3770bf0ab592f77";
    public const string DockerLayer1Digest = "sha256:2804bad6fe94a55f18b2b37e300919a5fd517b95aa81e95db574c0ba069a3740";
    public const string DockerLayer2Digest = "sha256:8a1cee436cbac1489a1883c9d886fcfc46f302c55ed4106ae31729e4f4eb9041";
    public const string Amd64Digest = "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51";
    public const string Arm64Digest = "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265";
    public const string OciConfigDigest = "sha256:5d33a66b3eec5298c6ef074cb533c3c84283bf5587ff4924277ee9292beefafa";
    public const string OciLayer1Digest = "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572";
    public const string OciLayer2Digest = "sha256:a9fd7e900853d097447f1e352859a9ece1ffecde9aaacbd7a7d5ef2dee95ef52";
    public const string SbomDigest = "sha256:98f3ae1ef67113d8140d4f6cb8d2830070e21ea48f091be519659846c771a374";
    public const string SubjectDigest = "sha256:ceaeee3c0f91c6c853bda5200efb5a1b94c85fd8bb21171047cbd19059c15722";
    public const string SignatureDigest = "sha256:a543997d84f12798350c09bdef2cdb171bf41ed3e4a5f808af2feb0c56263009";
    public const string AttestationDigest = "sha256:f745a15153c4dacf0ea4bbf57265e73283941f8335939b33c693975315cf5916";
    public const string ForeignLayerDigest = "sha256:656771905e1ef731f65cd0a0d9fb061238380a1a012e6abdf846ecc7d2ea36fd";

    /// <summary>Docker schema 2 as `docker push` sends it (three-space indentation included).</summary>
    public const string DockerManifest = """
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {
              "mediaType": "application/vnd.docker.container.image.v1+json",
              "size": 7023,
              "digest": "sha256:991e5b930fd9f8bfd9904b057b8860e4a9c3ba6d63c93f5fb3770bf0ab592f77"
           },
           "layers": [
              {
                 "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "size": 31357311,
                 "digest": "sha256:2804bad6fe94a55f18b2b37e300919a5fd517b95aa81e95db574c0ba069a3740"
              },
              {
                 "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "size": 25348470,
                 "digest": "sha256:8a1cee436cbac1489a1883c9d886fcfc46f302c55ed4106ae31729e4f4eb9041"
              }
           ]
        }
        """;

    /// <summary>Docker manifest list for two platforms, arm64 with a variant.</summary>
    public const string DockerManifestList = """
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
           "manifests": [
              {
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "size": 1165,
                 "digest": "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51",
                 "platform": {
                    "architecture": "amd64",
                    "os": "linux"
                 }
              },
              {
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "size": 1165,
                 "digest": "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265",
                 "platform": {
                    "architecture": "arm64",
                    "os": "linux",
                    "variant": "v8"
                 }
              }
           ]
        }
        """;

    /// <summary>OCI image manifest as buildx writes it, with zstd and gzip layers and annotations.</summary>
    public const string OciManifest = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:5d33a66b3eec5298c6ef074cb533c3c84283bf5587ff4924277ee9292beefafa",
            "size": 1471
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:4bb28d794d012d108889edd9b235e30699cc2a000ac97100c5343a9c51e9b572",
              "size": 3623807
            },
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
              "digest": "sha256:a9fd7e900853d097447f1e352859a9ece1ffecde9aaacbd7a7d5ef2dee95ef52",
              "size": 1024
            }
          ],
          "annotations": {
            "org.opencontainers.image.created": "2025-06-01T12:00:00Z",
            "org.opencontainers.image.source": "https://github.com/example/app"
          }
        }
        """;

    /// <summary>OCI index from buildx: two images plus an attestation manifest with an unknown/unknown platform.</summary>
    public const string OciIndex = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51",
              "size": 1050,
              "platform": { "architecture": "amd64", "os": "linux" }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265",
              "size": 1050,
              "platform": { "architecture": "arm", "os": "linux", "variant": "v7" }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:f745a15153c4dacf0ea4bbf57265e73283941f8335939b33c693975315cf5916",
              "size": 839,
              "annotations": {
                "vnd.docker.reference.digest": "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51",
                "vnd.docker.reference.type": "attestation-manifest"
              },
              "platform": { "architecture": "unknown", "os": "unknown" }
            }
          ]
        }
        """;

    /// <summary>An SBOM pushed by oras: artifact-typed config, one layer, and a subject.</summary>
    public const string OciArtifactWithSubject = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "application/spdx+json",
          "config": {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2,
            "data": "e30="
          },
          "layers": [
            {
              "mediaType": "application/spdx+json",
              "digest": "sha256:98f3ae1ef67113d8140d4f6cb8d2830070e21ea48f091be519659846c771a374",
              "size": 48213,
              "annotations": { "org.opencontainers.image.title": "sbom.spdx.json" }
            }
          ],
          "subject": {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:ceaeee3c0f91c6c853bda5200efb5a1b94c85fd8bb21171047cbd19059c15722",
            "size": 1050
          },
          "annotations": { "org.opencontainers.image.created": "2025-06-01T12:00:00Z" }
        }
        """;

    /// <summary>An artifact with no blobs at all: empty config, empty layers, artifactType carrying the meaning.</summary>
    public const string EmptyArtifact = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "application/vnd.example.signature.v1",
          "config": {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2
          },
          "layers": []
        }
        """;

    /// <summary>A Windows image: the base layer is foreign and names where to fetch it.</summary>
    public const string DockerManifestWithForeignLayer = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
          "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1823,
            "digest": "sha256:991e5b930fd9f8bfd9904b057b8860e4a9c3ba6d63c93f5fb3770bf0ab592f77"
          },
          "layers": [
            {
              "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
              "size": 1654236946,
              "digest": "sha256:656771905e1ef731f65cd0a0d9fb061238380a1a012e6abdf846ecc7d2ea36fd",
              "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:656771905e1ef731f65cd0a0d9fb061238380a1a012e6abdf846ecc7d2ea36fd"]
            },
            {
              "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
              "size": 1143,
              "digest": "sha256:2804bad6fe94a55f18b2b37e300919a5fd517b95aa81e95db574c0ba069a3740"
            }
          ]
        }
        """;

    /// <summary>An OCI manifest with one layer whose digest and size are substituted, for descriptor validation tests.</summary>
    public static string OciManifestWithLayer(string digest, string sizeJson = "1024") => $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "{{OciConfigDigest}}",
            "size": 1471
          },
          "layers": [
            { "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "{{digest}}", "size": {{sizeJson}} }
          ]
        }
        """;

    public static ManifestParseResult Parse(string json, string? contentType = null) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);

    public static ParsedManifest ParseOk(string json, string? contentType = null)
    {
        var result = Parse(json, contentType);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Manifest;
    }

    public static ManifestError ParseError(string json, string? contentType = null)
    {
        var result = Parse(json, contentType);
        Assert.False(result.IsSuccess, "expected the manifest to be refused");
        return result.Error;
    }
}
