using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Berth.Cli;

/// <summary>
/// Writes a tiny, valid OCI image layout (one gzip layer holding one text file, an image config, a manifest and
/// index.json) so a new user can try skopeo against Berth without docker or a network. The same content gives the
/// same digests every time.
/// </summary>
public static class SampleImageLayout
{
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the layout into <paramref name="directory"/> (created if missing) and returns the manifest digest.</summary>
    public static string Write(string directory, string tag)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        var tar = Tar("hello.txt", "Hello from a Berth sample image.\n"u8.ToArray());
        var layer = Gzip(tar);
        var layerDigest = WriteBlob(blobs, layer);
        var config = Json(writer =>
        {
            writer.WriteString("architecture", "amd64");
            writer.WriteString("os", "linux");
            writer.WriteString("created", Epoch);
            writer.WriteStartObject("config");
            writer.WriteEndObject();
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            writer.WriteStringValue(Digest(tar));
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        var configDigest = WriteBlob(blobs, config);
        var manifest = Json(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", ManifestMediaType);
            writer.WritePropertyName("config");
            Descriptor(writer, ConfigMediaType, configDigest, config.Length);
            writer.WriteStartArray("layers");
            Descriptor(writer, LayerMediaType, layerDigest, layer.Length);
            writer.WriteEndArray();
        });
        var manifestDigest = WriteBlob(blobs, manifest);

        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), Json(writer => writer.WriteString("imageLayoutVersion", "1.0.0")));
        File.WriteAllBytes(Path.Combine(directory, "index.json"), Json(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteStartArray("manifests");
            writer.WriteStartObject();
            writer.WriteString("mediaType", ManifestMediaType);
            writer.WriteString("digest", manifestDigest);
            writer.WriteNumber("size", manifest.Length);
            writer.WriteStartObject("annotations");
            writer.WriteString("org.opencontainers.image.ref.name", tag);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }));
        return manifestDigest;
    }

    private static void Descriptor(Utf8JsonWriter writer, string mediaType, string digest, long size)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", mediaType);
        writer.WriteString("digest", digest);
        writer.WriteNumber("size", size);
        writer.WriteEndObject();
    }

    private static byte[] Tar(string name, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(content),
                ModificationTime = Epoch,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string WriteBlob(string blobs, byte[] content)
    {
        var digest = Digest(content);
        File.WriteAllBytes(Path.Combine(blobs, digest["sha256:".Length..]), content);
        return digest;
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
