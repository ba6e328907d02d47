using System.Globalization;
using Berth.Domain;

namespace Berth.Oci;

/// <summary>GET, HEAD and DELETE of /v2/&lt;name&gt;/blobs/&lt;digest&gt;, with single byte ranges.</summary>
public sealed class BlobHandlers(IMetadataStore store, IBlobStore blobs)
{
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

        var blob = await store.Images.FindBlobAsync(request.Repository, digest, request.CancellationToken);
        if (blob is null)
        {
            await OciResponses.WriteErrorAsync(http, await NotFoundAsync(request, digest));
            return;
        }

        var response = http.Response;
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
                await OciResponses.WriteErrorAsync(http, new OciError("BLOB_UNKNOWN", "requested range not satisfiable", 416));
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

        if (blobs is ILocalBlobFiles files && files.TryGetLocalPath(digest, out var path))
        {
            await response.SendFileAsync(path, offset, length, request.CancellationToken);
            return;
        }

        await using var content = await blobs.OpenReadAsync(digest, offset, length, request.CancellationToken);
        if (content is null)
        {
            // The link exists but the bytes are gone: never serve a partial or wrong blob.
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = null;
            return;
        }

        await content.CopyToAsync(response.Body, request.CancellationToken);
    }

    private async Task DeleteAsync(OciRequest request, Digest digest)
    {
        if (await store.Images.UnlinkBlobAsync(request.Repository, digest, request.CancellationToken))
        {
            OciResponses.Empty(request.Http, StatusCodes.Status202Accepted);
            return;
        }

        await OciResponses.WriteErrorAsync(request.Http, await NotFoundAsync(request, digest));
    }

    private async Task<OciError> NotFoundAsync(OciRequest request, Digest digest) =>
        await store.Repositories.GetAsync(request.Repository, request.CancellationToken) is null
            ? OciErrors.From(DomainError.RepositoryNotFound(request.Repository))
            : new OciError("BLOB_UNKNOWN", $"blob {digest} is unknown to repository {request.Route.Name}", 404);
}
