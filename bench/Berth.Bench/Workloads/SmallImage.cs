using System.Text;
using Berth.Bench.Http;

namespace Berth.Bench.Workloads;

/// <summary>A small OCI image (config + one layer) pushed through /v2/ and tagged many times: the manifest workloads' data.</summary>
public sealed record SmallImage(byte[] Manifest, string Digest)
{
    public const string MediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Pushes the blobs and the manifest under each tag; returns the image.</summary>
    public static async Task<SmallImage> PushAsync(RegistryClient registry, string repository, IReadOnlyList<string> tags)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = new byte[4096];
        Random.Shared.NextBytes(layer);
        await registry.PushMonolithicAsync(repository, config);
        await registry.PushMonolithicAsync(repository, layer);
        var manifest = Build(RegistryClient.DigestOf(config), config.Length, RegistryClient.DigestOf(layer), layer.Length, null);
        foreach (var tag in tags)
        {
            await registry.PutManifestAsync(repository, tag, MediaType, manifest);
        }

        return new SmallImage(manifest, RegistryClient.DigestOf(manifest));
    }

    /// <summary>An OCI image manifest; <paramref name="index"/> becomes an annotation so each index gives a distinct digest.</summary>
    public static byte[] Build(string configDigest, long configSize, string layerDigest, long layerSize, int? index) =>
        Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaType}\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{configSize}}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{layerDigest}\",\"size\":{layerSize}}}]" +
            (index is { } i ? $",\"annotations\":{{\"bench.index\":\"{i}\"}}" : string.Empty) + "}");
}
