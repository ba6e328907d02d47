using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Bench.Images;

/// <summary>
/// Writes an OCI image layout with random, incompressible layers. Each layer is a real gzip stream (stored
/// blocks), so skopeo sees a compressed layer and copies it as is instead of compressing it on the way.
/// </summary>
public static class OciLayoutWriter
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string Tag = "bench";

    /// <summary>Writes the layout to <paramref name="dir"/> and returns the total size of its blobs.</summary>
    public static async Task<long> WriteAsync(string dir, int layers, long totalSize)
    {
        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layerSize = totalSize / layers;
        var descriptors = new List<(string Digest, long Size)>();
        var diffIds = new List<string>();
        var chunk = new byte[1024 * 1024];
        long total = 0;
        for (var layer = 0; layer < layers; layer++)
        {
            var staging = Path.Combine(dir, $"layer-{layer}.tmp");
            using var compressed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var uncompressed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new HashingStream(new FileStream(staging, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024), compressed))
            await using (var gzip = new GZipStream(file, CompressionLevel.NoCompression))
            {
                for (long written = 0; written < layerSize; written += chunk.Length)
                {
                    var length = (int)Math.Min(chunk.Length, layerSize - written);
                    Random.Shared.NextBytes(chunk.AsSpan(0, length));
                    uncompressed.AppendData(chunk, 0, length);
                    await gzip.WriteAsync(chunk.AsMemory(0, length));
                }
            }

            var hex = Convert.ToHexStringLower(compressed.GetHashAndReset());
            var size = new FileInfo(staging).Length;
            File.Move(staging, Path.Combine(blobs, hex));
            descriptors.Add(("sha256:" + hex, size));
            diffIds.Add("sha256:" + Convert.ToHexStringLower(uncompressed.GetHashAndReset()));
            total += size;
        }

        var config = Encoding.UTF8.GetBytes(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" +
            string.Join(',', diffIds.Select(d => $"\"{d}\"")) + "]}}");
        var configDigest = await WriteBlobAsync(blobs, config);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{ManifestMediaType}\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}}," +
            "\"layers\":[" + string.Join(',', descriptors.Select(d =>
                $"{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{d.Digest}\",\"size\":{d.Size}}}")) + "]}");
        var manifestDigest = await WriteBlobAsync(blobs, manifest);
        await File.WriteAllTextAsync(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        await File.WriteAllTextAsync(Path.Combine(dir, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"{ManifestMediaType}\",\"digest\":\"{manifestDigest}\",\"size\":{manifest.Length}," +
            $"\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{Tag}\"}}}}]}}");
        return total + config.Length + manifest.Length;
    }

    private static async Task<string> WriteBlobAsync(string blobs, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(Path.Combine(blobs, hex), content);
        return "sha256:" + hex;
    }
}
