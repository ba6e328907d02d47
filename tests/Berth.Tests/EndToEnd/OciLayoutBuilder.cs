using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Tests.EndToEnd;

/// <summary>Which family of media types an image is written in.</summary>
public enum ImageFlavor
{
    /// <summary>application/vnd.oci.image.* manifests, configs, indexes and layers.</summary>
    Oci,

    /// <summary>application/vnd.docker.* schema 2 manifests, configs, manifest lists and layers.</summary>
    Docker,
}

/// <summary>An image manifest the builder wrote, with the digests of everything it names.</summary>
public sealed record BuiltImage(string Digest, string MediaType, string Architecture, string ConfigDigest, IReadOnlyList<string> LayerDigests)
{
    /// <summary>The manifest, config and layers: every content-addressed object a copy of the image holds.</summary>
    public IReadOnlySet<string> AllDigests => new HashSet<string>([Digest, ConfigDigest, .. LayerDigests], StringComparer.Ordinal);
}

/// <summary>An OCI index or Docker manifest list the builder wrote, with its platform images.</summary>
public sealed record BuiltIndex(string Digest, string MediaType, IReadOnlyList<BuiltImage> Images)
{
    public IReadOnlySet<string> AllDigests
    {
        get
        {
            var all = new HashSet<string>(StringComparer.Ordinal) { Digest };
            foreach (var image in Images)
            {
                all.UnionWith(image.AllDigests);
            }

            return all;
        }
    }
}

/// <summary>
/// Writes test images to disk without a registry or the internet: real gzip-compressed tar layers of random
/// bytes (so every test pushes digests no other test has), a config whose rootfs.diff_ids are the sha256 of the
/// uncompressed tars, and manifests and indexes in OCI or Docker media types. OCI images are tagged in an OCI
/// image layout (<c>oci:</c>); Docker images are written as a <c>dir:</c> layout, because the oci: transport
/// of containers/image only follows index.json entries with OCI media types.
/// </summary>
public sealed class OciLayoutBuilder
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly List<JsonObject> _tagged = [];
    private readonly string _root;

    public OciLayoutBuilder(string root)
    {
        _root = root;
        Directory.CreateDirectory(BlobDirectory);
        File.WriteAllText(Path.Combine(LayoutPath, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        WriteIndexJson();
    }

    /// <summary>The OCI image layout: oci-layout, index.json and blobs/sha256/.</summary>
    public string LayoutPath => Path.Combine(_root, "oci");

    private string BlobDirectory => Path.Combine(LayoutPath, "blobs", "sha256");

    /// <summary>Where a blob of the OCI layout lives (tests replace one with a pipe to control its pace).</summary>
    public string BlobPath(string digest) => Path.Combine(BlobDirectory, Hex(digest));

    /// <summary>The skopeo source reference of a tag this builder wrote.</summary>
    public string Source(string tag, ImageFlavor flavor) =>
        flavor == ImageFlavor.Oci ? $"oci:{LayoutPath}:{tag}" : $"dir:{DirLayoutPath(tag)}";

    /// <summary>A single-platform image with <paramref name="layers"/> layers of a few random files each.</summary>
    public BuiltImage AddImage(string tag, ImageFlavor flavor, int layers = 2, int bytesPerLayer = 8 * 1024, string architecture = "amd64")
    {
        var image = WriteImage(flavor, architecture, layers, bytesPerLayer);
        Publish(tag, flavor, image.Digest, image.MediaType, [image]);
        return image;
    }

    /// <summary>A multi-platform image: an OCI index or Docker manifest list of linux/amd64 and linux/arm64.</summary>
    public BuiltIndex AddMultiPlatform(string tag, ImageFlavor flavor)
    {
        BuiltImage[] images = [WriteImage(flavor, "amd64", 1, 4096), WriteImage(flavor, "arm64", 1, 4096)];
        var manifests = new JsonArray();
        foreach (var image in images)
        {
            manifests.Add(new JsonObject
            {
                ["mediaType"] = image.MediaType,
                ["digest"] = image.Digest,
                ["size"] = new FileInfo(BlobPath(image.Digest)).Length,
                ["platform"] = new JsonObject { ["architecture"] = image.Architecture, ["os"] = "linux" },
            });
        }

        var mediaType = flavor == ImageFlavor.Oci
            ? "application/vnd.oci.image.index.v1+json"
            : "application/vnd.docker.distribution.manifest.list.v2+json";
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = mediaType, ["manifests"] = manifests };
        var (digest, _) = WriteBlob(Encoding.UTF8.GetBytes(index.ToJsonString()));
        Publish(tag, flavor, digest, mediaType, images);
        return new BuiltIndex(digest, mediaType, images);
    }

    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Sha256(Stream content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static string Hex(string digest) => digest["sha256:".Length..];

    private string DirLayoutPath(string tag) => Path.Combine(_root, "dir-" + tag);

    private BuiltImage WriteImage(ImageFlavor flavor, string architecture, int layers, int bytesPerLayer)
    {
        var oci = flavor == ImageFlavor.Oci;
        var layerMediaType = oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        var layerDescriptors = new JsonArray();
        var layerDigests = new List<string>();
        var diffIds = new JsonArray();
        for (var i = 0; i < layers; i++)
        {
            var (digest, size, diffId) = WriteLayer(bytesPerLayer);
            layerDescriptors.Add(new JsonObject { ["mediaType"] = layerMediaType, ["digest"] = digest, ["size"] = size });
            layerDigests.Add(digest);
            diffIds.Add(diffId);
        }

        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/bin:/bin") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        };
        var (configDigest, configSize) = WriteBlob(Encoding.UTF8.GetBytes(config.ToJsonString()));

        var mediaType = oci ? "application/vnd.oci.image.manifest.v1+json" : "application/vnd.docker.distribution.manifest.v2+json";
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["config"] = new JsonObject
            {
                ["mediaType"] = oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json",
                ["digest"] = configDigest,
                ["size"] = configSize,
            },
            ["layers"] = layerDescriptors,
        };
        var (manifestDigest, _) = WriteBlob(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        return new BuiltImage(manifestDigest, mediaType, architecture, configDigest, layerDigests);
    }

    /// <summary>A tar of a few random files, gzip-compressed; returns the blob digest and size and the tar's diff_id.</summary>
    private (string Digest, long Size, string DiffId) WriteLayer(int bytes)
    {
        var tarPath = Path.Combine(_root, "layer.tar.tmp");
        var files = bytes >= 1024 * 1024 ? 1 : 3;
        using (var tar = File.Create(tarPath))
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/") { ModificationTime = DateTimeOffset.UnixEpoch });
            for (var i = 0; i < files; i++)
            {
                var content = new byte[bytes / files];
                Random.Shared.NextBytes(content);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"data/file-{i}.bin")
                {
                    DataStream = new MemoryStream(content),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                });
            }
        }

        string diffId;
        var gzipPath = Path.Combine(_root, "layer.tar.gz.tmp");
        using (var input = File.OpenRead(tarPath))
        {
            diffId = Sha256(input);
            input.Position = 0;
            using var output = File.Create(gzipPath);
            // Random bytes do not compress: large layers skip the deflate work but stay real gzip streams.
            using var gzip = new GZipStream(output, bytes >= 1024 * 1024 ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
            input.CopyTo(gzip);
        }

        File.Delete(tarPath);
        string digest;
        using (var compressed = File.OpenRead(gzipPath))
        {
            digest = Sha256(compressed);
        }

        var size = new FileInfo(gzipPath).Length;
        File.Move(gzipPath, BlobPath(digest), overwrite: true);
        return (digest, size, diffId);
    }

    private (string Digest, long Size) WriteBlob(byte[] content)
    {
        var digest = Sha256(content);
        File.WriteAllBytes(BlobPath(digest), content);
        return (digest, content.Length);
    }

    private void Publish(string tag, ImageFlavor flavor, string digest, string mediaType, IReadOnlyList<BuiltImage> images)
    {
        if (flavor == ImageFlavor.Oci)
        {
            _tagged.Add(new JsonObject
            {
                ["mediaType"] = mediaType,
                ["digest"] = digest,
                ["size"] = new FileInfo(BlobPath(digest)).Length,
                ["annotations"] = new JsonObject { [RefNameAnnotation] = tag },
            });
            WriteIndexJson();
            return;
        }

        // The dir: transport: a version file, the top manifest as manifest.json, the manifests of a list's
        // platforms as <hex>.manifest.json, and every other blob as a file named by its hex digest.
        var dir = DirLayoutPath(tag);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "version"), "Directory Transport Version: 1.1\n");
        File.Copy(BlobPath(digest), Path.Combine(dir, "manifest.json"));
        foreach (var image in images)
        {
            if (image.Digest != digest)
            {
                File.Copy(BlobPath(image.Digest), Path.Combine(dir, Hex(image.Digest) + ".manifest.json"));
            }

            foreach (var blob in (string[])[image.ConfigDigest, .. image.LayerDigests])
            {
                File.Copy(BlobPath(blob), Path.Combine(dir, Hex(blob)), overwrite: true);
            }
        }
    }

    private void WriteIndexJson()
    {
        var manifests = new JsonArray();
        foreach (var entry in _tagged)
        {
            manifests.Add(entry.DeepClone());
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = manifests };
        File.WriteAllText(Path.Combine(LayoutPath, "index.json"), index.ToJsonString());
    }
}
