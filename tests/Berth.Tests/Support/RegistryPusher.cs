using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Tests.Support;

/// <summary>A blob or manifest as a manifest references it.</summary>
public sealed record TestDescriptor(string MediaType, string Digest, long Size);

/// <summary>An image pushed by a test: its manifest text, digest and what it references.</summary>
public sealed record PushedImage(string Digest, string Manifest, string MediaType, TestDescriptor Config, IReadOnlyList<TestDescriptor> Layers)
{
    public long LayerBytes => Layers.Sum(l => l.Size);

    public TestDescriptor AsDescriptor() => new(MediaType, Digest, Encoding.UTF8.GetByteCount(Manifest));
}

/// <summary>Builds small images and pushes them through /v2/, as docker or skopeo would.</summary>
public sealed class RegistryPusher(HttpClient http)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string DigestOf(string text) => DigestOf(Encoding.UTF8.GetBytes(text));

    /// <summary>Deterministic bytes that differ by seed.</summary>
    public static byte[] Bytes(string seed, int size)
    {
        var content = new byte[size];
        var block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (var i = 0; i < size; i++)
        {
            if (i % block.Length == 0 && i > 0)
            {
                block = SHA256.HashData(block);
            }

            content[i] = block[i % block.Length];
        }

        return content;
    }

    /// <summary>An image manifest's JSON, optionally without mediaType, with a subject or an artifactType.</summary>
    public static string ImageManifest(
        TestDescriptor config,
        IEnumerable<TestDescriptor> layers,
        string? mediaType = OciManifest,
        TestDescriptor? subject = null,
        string? artifactType = null,
        string? annotation = null)
    {
        var json = new StringBuilder("{\"schemaVersion\":2");
        if (mediaType is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"mediaType\":\"{mediaType}\"");
        }

        if (artifactType is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"artifactType\":\"{artifactType}\"");
        }

        json.Append(",\"config\":").Append(Describe(config));
        json.Append(",\"layers\":[").AppendJoin(',', layers.Select(Describe)).Append(']');
        if (subject is not null)
        {
            json.Append(",\"subject\":").Append(Describe(subject));
        }

        if (annotation is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"annotations\":{{\"org.example.note\":\"{annotation}\"}}");
        }

        return json.Append('}').ToString();
    }

    /// <summary>An index (or Docker manifest list) over the given manifests.</summary>
    public static string Index(IEnumerable<TestDescriptor> children, string mediaType = OciIndex) =>
        $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\",\"manifests\":[{string.Join(',', children.Select(c =>
            $"{{\"mediaType\":\"{c.MediaType}\",\"digest\":\"{c.Digest}\",\"size\":{c.Size.ToString(CultureInfo.InvariantCulture)},\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}}"))}]}}";

    public static string Describe(TestDescriptor descriptor) =>
        $"{{\"mediaType\":\"{descriptor.MediaType}\",\"digest\":\"{descriptor.Digest}\",\"size\":{descriptor.Size.ToString(CultureInfo.InvariantCulture)}}}";

    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var response = await http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"blob push to {repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }

    /// <summary>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;; the reference is a tag or the digest.</summary>
    public async Task<string> PushManifestAsync(string repository, string reference, string manifest, string mediaType = OciManifest)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"manifest push to {repository}:{reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var digest = DigestOf(manifest);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        return digest;
    }

    /// <summary>Pushes a config and layers of the given sizes, then a manifest for them, tagged or (with a null tag) by digest.</summary>
    public async Task<PushedImage> PushImageAsync(
        string repository,
        string? tag,
        string seed,
        int[]? layerSizes = null,
        string mediaType = OciManifest,
        string? configMediaType = null,
        TestDescriptor? subject = null,
        string? artifactType = null,
        string? annotation = null)
    {
        var docker = mediaType == DockerManifest;
        var configBytes = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"{seed}\"}}");
        var config = new TestDescriptor(configMediaType ?? (docker ? DockerConfig : OciConfig), await PushBlobAsync(repository, configBytes), configBytes.Length);
        var layers = new List<TestDescriptor>();
        var index = 0;
        foreach (var size in layerSizes ?? [100])
        {
            var bytes = Bytes($"{seed}/layer{index++}", size);
            layers.Add(new TestDescriptor(docker ? DockerLayer : OciLayer, await PushBlobAsync(repository, bytes), bytes.Length));
        }

        var manifest = ImageManifest(config, layers, mediaType, subject, artifactType, annotation);
        var digest = await PushManifestAsync(repository, tag ?? DigestOf(manifest), manifest, mediaType);
        return new PushedImage(digest, manifest, mediaType, config, layers);
    }

    /// <summary>GET of a manifest: status, body bytes and Docker-Content-Digest.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body, string? Digest)> GetManifestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd($"{OciManifest}, {OciIndex}, {DockerManifest}, {DockerManifestList}");
        using var response = await http.SendAsync(request);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), digest);
    }
}
