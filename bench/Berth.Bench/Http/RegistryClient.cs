using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Berth.Bench.Http;

/// <summary>The OCI Distribution calls the workloads make: blob uploads (monolithic and chunked), blob reads, manifests.</summary>
public sealed class RegistryClient(HttpClient http, Uri baseUri, string? authorization = null)
{
    private const int CopyBufferSize = 1024 * 1024;

    public Uri BaseUri => baseUri;

    public static string DigestOf(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public Uri Url(string path) => new(baseUri, path);

    /// <summary>POST …/blobs/uploads/: opens an upload session and returns its location.</summary>
    public async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, Url($"/v2/{repository}/blobs/uploads/"));
        using var response = await http.SendAsync(request, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Accepted, "start upload");
        return Location(response);
    }

    /// <summary>POST then one PUT …?digest= carrying the whole blob.</summary>
    public async Task PushMonolithicAsync(string repository, string digest, HttpContent content, CancellationToken cancellationToken = default)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        using var request = Request(HttpMethod.Put, WithDigest(location, digest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content = content;
        using var response = await http.SendAsync(request, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Created, "monolithic PUT");
    }

    public Task PushMonolithicAsync(string repository, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        PushMonolithicAsync(repository, DigestOf(data.Span), new ReadOnlyMemoryContent(data), cancellationToken);

    /// <summary>POST, one PATCH per chunk (with Content-Range), then PUT …?digest= with no body.</summary>
    public async Task PushChunkedAsync(string repository, string digest, ReadOnlyMemory<byte> data, long chunkSize, CancellationToken cancellationToken = default)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        for (long offset = 0; offset < data.Length; offset += chunkSize)
        {
            var length = (int)Math.Min(chunkSize, data.Length - offset);
            using var patch = Request(HttpMethod.Patch, location);
            patch.Content = new ReadOnlyMemoryContent(data.Slice((int)offset, length));
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
            using var response = await http.SendAsync(patch, cancellationToken);
            await ExpectAsync(response, HttpStatusCode.Accepted, "PATCH chunk");
            location = Location(response);
        }

        using var put = Request(HttpMethod.Put, WithDigest(location, digest));
        using var done = await http.SendAsync(put, cancellationToken);
        await ExpectAsync(done, HttpStatusCode.Created, "closing PUT");
    }

    /// <summary>GET a blob (optionally a byte range) and count the bytes read; the count is checked against what was asked.</summary>
    public async Task<long> PullAsync(string repository, string digest, long? from = null, long? to = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, Url($"/v2/{repository}/blobs/{digest}"));
        if (from is { } start)
        {
            request.Headers.Range = new RangeHeaderValue(start, to);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await ExpectAsync(response, from is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, "blob GET");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Put, Url($"/v2/{repository}/manifests/{reference}"));
        request.Content = new ByteArrayContent(manifest);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.SendAsync(request, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Created, "manifest PUT");
    }

    /// <summary>GET a path with optional Accept; returns status and body, for checking a workload before loading it.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(string path, string? accept = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, Url(path));
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    private static Uri WithDigest(Uri location, string digest) =>
        new(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException(
                $"{what} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
    }

    private Uri Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new HttpRequestException("upload response has no Location");
        return location.IsAbsoluteUri ? location : new Uri(baseUri, location);
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}
