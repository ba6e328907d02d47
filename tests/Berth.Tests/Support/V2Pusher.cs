using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Tests.Support;

/// <summary>An image a test pushed: the manifest digest and the blobs it references.</summary>
public sealed record V2Image(string Digest, string ConfigDigest, IReadOnlyList<string> LayerDigests, byte[] Manifest, string MediaType);

/// <summary>Pushes small images and indexes through /v2/ (monolithic blob uploads, then the manifest), as a client would.</summary>
public sealed class V2Pusher(HttpClient http, string repository)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public static string Sha(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async Task<string> PushBlobAsync(byte[] bytes)
    {
        var digest = Sha(bytes);
        using var response = await http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(bytes));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"blob push: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }

    /// <summary>
    /// Pushes a config, one random layer and the <paramref name="shared"/> layers, then the manifest under
    /// <paramref name="tag"/> (or by digest, untagged, when null).
    /// </summary>
    public async Task<V2Image> PushImageAsync(string? tag, params byte[][] shared)
    {
        var unique = RandomNumberGenerator.GetBytes(2048);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","nonce":"{{Guid.NewGuid():N}}"}""");
        var layers = new List<(string Digest, int Size)>();
        foreach (var layer in shared)
        {
            layers.Add((await PushBlobAsync(layer), layer.Length));
        }

        layers.Add((await PushBlobAsync(unique), unique.Length));
        var configDigest = await PushBlobAsync(config);
        var layerJson = string.Join(',', layers.Select(l =>
            $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{l.Digest}}","size":{{l.Size}}}"""));
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{{layerJson}}]}
            """);
        var digest = await PushManifestAsync(tag, manifest, OciManifest);
        return new V2Image(digest, configDigest, [.. layers.Select(l => l.Digest)], manifest, OciManifest);
    }

    /// <summary>Pushes an untagged referrer artifact (an SBOM, say) whose subject is <paramref name="subject"/>.</summary>
    public async Task<V2Image> PushReferrerAsync(V2Image subject)
    {
        var empty = "{}"u8.ToArray();
        var payload = RandomNumberGenerator.GetBytes(256);
        var emptyDigest = await PushBlobAsync(empty);
        var payloadDigest = await PushBlobAsync(payload);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","artifactType":"application/vnd.example.sbom",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{emptyDigest}}","size":2},
             "layers":[{"mediaType":"application/vnd.example.sbom","digest":"{{payloadDigest}}","size":{{payload.Length}}}],
             "subject":{"mediaType":"{{subject.MediaType}}","digest":"{{subject.Digest}}","size":{{subject.Manifest.Length}} } }
            """);
        var digest = await PushManifestAsync(null, manifest, OciManifest);
        return new V2Image(digest, emptyDigest, [payloadDigest], manifest, OciManifest);
    }

    /// <summary>Pushes an OCI index over already pushed images.</summary>
    public async Task<V2Image> PushIndexAsync(string? tag, params V2Image[] children)
    {
        var manifests = string.Join(',', children.Select(c =>
            $$"""{"mediaType":"{{c.MediaType}}","digest":"{{c.Digest}}","size":{{c.Manifest.Length}},"platform":{"architecture":"amd64","os":"linux"} }"""));
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[{{manifests}}]}""");
        var digest = await PushManifestAsync(tag, index, OciIndex);
        return new V2Image(digest, string.Empty, [], index, OciIndex);
    }

    /// <summary>The status of GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;.</summary>
    public async Task<HttpStatusCode> GetManifestStatusAsync(string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd($"{OciManifest}, {OciIndex}");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Pushes an image's manifest again, byte for byte (its blobs are already there).</summary>
    public Task<string> PushAgainAsync(V2Image image, string? tag) => PushManifestAsync(tag, image.Manifest, image.MediaType);

    private async Task<string> PushManifestAsync(string? tag, byte[] manifest, string mediaType)
    {
        var digest = Sha(manifest);
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.PutAsync($"/v2/{repository}/manifests/{tag ?? digest}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"manifest push: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }
}
