using System.Globalization;
using Berth.Domain;
using Berth.Domain.Blobs;
using Berth.Domain.PullThrough;

namespace Berth.Oci;

/// <summary>GET, HEAD and DELETE of /v2/&lt;name&gt;/blobs/&lt;digest&gt;, with single byte ranges.</summary>
public sealed class BlobHandlers(BlobService blobs, PullThroughCache cache)
{
    private const int SendBlockSize = 1024 * 1024;

    /// <summary>How long a redirect to the blob backend stays valid: long enough for a slow client to start the transfer.</summary>
    public static readonly TimeSpan RedirectLifetime = TimeSpan.FromMinutes(20);

    public async Task HandleAsync(OciRequest request)
    {
        var http = request.Http;
        var method = http.Request.Method;
        if (!Digest.TryParse(request.Route.Argument, out var digest))
        {
            await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(request.Route.Argument));
            return;
        }

        if (HttpMethods.IsDelete(method))
        {
            await DeleteAsync(request, digest);
            return;
        }

        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            await OciResponses.WriteErrorAsync(http, OciError.MethodNotAllowed());
            return;
        }

        var found = await blobs.FindAsync(request.Repository, digest, request.CancellationToken);
        if (!found.IsSuccess && found.Error!.Code is ErrorCode.BlobNotFound or ErrorCode.RepositoryNotFound)
        {
            // A pull-through cache repository fetches what it lacks; a whole-blob GET gets the bytes as they are stored.
            var whole = HttpMethods.IsGet(method) && http.Request.Headers.Range.Count == 0;
            var pulled = await cache.PullBlobAsync(request.Asked!, request.Repository, digest, whole ? length => OpenClient(http, digest, length) : null, request.CancellationToken);
            if (pulled is { Sent: true })
            {
                if (pulled.Error is not null)
                {
                    // Bytes already went out that are not the blob: end the connection so the client cannot keep them.
                    http.Abort();
                }

                return;
            }

            if (pulled?.Error is { } upstreamError)
            {
                await OciResponses.WriteErrorAsync(http, upstreamError);
                return;
            }

            if (pulled is not null)
            {
                found = await blobs.FindAsync(request.Repository, digest, request.CancellationToken);
            }
        }

        if (!found.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(http, found.Error!);
            return;
        }

        var blob = found.Value;
        var response = http.Response;
        if (HttpMethods.IsGet(method) && await blobs.TryGetReadUrlAsync(blob, RedirectLifetime, request.CancellationToken) is { } readUrl)
        {
            // The backend serves the bytes itself (a presigned object-store URL): the client follows the redirect, with
            // its Range header, and Berth stays out of the data path.
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers[OciResponses.DigestHeader] = digest.ToString();
            response.Headers.Location = readUrl.AbsoluteUri;
            return;
        }

        response.Headers[OciResponses.DigestHeader] = digest.ToString();
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = "\"" + digest + "\"";
        response.Headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";

        long offset = 0;
        var length = blob.Size;
        var range = http.Request.Headers.Range.ToString();
        if (range.Length > 0 && ByteRange.TryParse(range, blob.Size, out var first, out var last, out var satisfiable))
        {
            if (!satisfiable)
            {
                response.Headers.ContentRange = $"bytes */{blob.Size}";
                await OciResponses.WriteErrorAsync(http, OciErrorCode.BlobRangeNotSatisfiable.With("requested range not satisfiable"));
                return;
            }

            offset = first;
            length = last - first + 1;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {first}-{last}/{blob.Size}");
        }

        response.ContentLength = length;
        if (HttpMethods.IsHead(method) || length == 0)
        {
            return;
        }

        await using var content = await blobs.OpenReadAsync(blob, offset, length, request.CancellationToken);
        if (content is null)
        {
            // The link exists but the bytes are gone: never serve a partial or wrong blob.
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = null;
            return;
        }

        await SendAsync(content, response, length, request.CancellationToken);
    }

    /// <summary>Starts a whole-blob answer for bytes that arrive from an upstream while they are stored.</summary>
    private static ValueTask<Stream> OpenClient(HttpContext http, Digest digest, long? length)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[OciResponses.DigestHeader] = digest.ToString();
        response.Headers.ETag = "\"" + digest + "\"";
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        return ValueTask.FromResult(response.Body);
    }

    /// <summary>Reads the blob straight into the response's own buffers, a large block at a time.</summary>
    /// <remarks>
    /// Kestrel's file sending copies through a small buffer into 4 KiB pool blocks; asking the response pipe for one large
    /// block per read saves that copy and lets the socket send in large writes (about twice the throughput here, see
    /// docs/benchmarks.md). Memory stays at one block per transfer.
    /// </remarks>
    private static async Task SendAsync(Stream content, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        long sent = 0;
        while (sent < length)
        {
            var block = writer.GetMemory(SendBlockSize);
            var want = (int)Math.Min(block.Length, length - sent);
            var read = await content.ReadAsync(block[..want], cancellationToken);
            if (read == 0)
            {
                // The file ended early (it cannot, being immutable, unless the disk lies): end the connection rather
                // than let the client take a short body for the blob.
                response.HttpContext.Abort();
                return;
            }

            writer.Advance(read);
            sent += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task DeleteAsync(OciRequest request, Digest digest)
    {
        if (await blobs.UnlinkAsync(request.Repository, digest, request.CancellationToken) is { } error)
        {
            await OciResponses.WriteErrorAsync(request.Http, error);
            return;
        }

        OciResponses.Empty(request.Http, StatusCodes.Status202Accepted);
    }
}
