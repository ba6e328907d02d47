using System.Globalization;
using Berth.Domain;
using Berth.Domain.Blobs;
using Berth.Domain.Uploads;

namespace Berth.Oci;

/// <summary>
/// Blob uploads: POST (session, monolithic, mount), PATCH (chunked or streamed), PUT (complete), GET
/// (status), DELETE (cancel). A session keeps one stable URL, so a client can resume from any response.
/// </summary>
public sealed class UploadHandlers(UploadService uploads, BlobService blobs)
{
    private const string UuidHeader = "Docker-Upload-UUID";

    public Task HandleAsync(OciRequest request)
    {
        var method = request.Http.Request.Method;
        if (request.Route.Resource == OciResource.Uploads)
        {
            return HttpMethods.IsPost(method) ? StartAsync(request) : OciResponses.WriteErrorAsync(request.Http, OciError.MethodNotAllowed());
        }

        if (!Guid.TryParse(request.Route.Argument, out var id))
        {
            return OciResponses.WriteErrorAsync(request.Http, UploadService.UploadNotFound(Guid.Empty));
        }

        return method switch
        {
            _ when HttpMethods.IsPatch(method) => PatchAsync(request, id),
            _ when HttpMethods.IsPut(method) => PutAsync(request, id),
            _ when HttpMethods.IsGet(method) => StatusAsync(request, id),
            _ when HttpMethods.IsDelete(method) => CancelAsync(request, id),
            _ => OciResponses.WriteErrorAsync(request.Http, OciError.MethodNotAllowed()),
        };
    }

    private async Task StartAsync(OciRequest request)
    {
        var http = request.Http;
        var query = http.Request.Query;
        var mount = query["mount"].ToString();
        if (mount.Length > 0 && Digest.TryParse(mount, out var mountDigest))
        {
            var from = query["from"].ToString();
            if (from.Length > 0 && RepositoryNames.IsValid(from)
                && await blobs.MountAsync(request.Repository, request.Scope.Repository(from), mountDigest, request.CancellationToken) is not null)
            {
                BlobCreated(request, mountDigest);
                return;
            }

            // Not mountable: the spec says to answer with an ordinary upload session instead.
        }

        var digestText = query["digest"].ToString();
        if (digestText.Length > 0)
        {
            if (!Digest.TryParse(digestText, out var digest))
            {
                await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(digestText));
                return;
            }

            var stored = await uploads.PutAsync(request.Repository, digest, http.Request.Body, http.Request.ContentLength, request.CancellationToken);
            if (!stored.IsSuccess)
            {
                await OciResponses.WriteErrorAsync(http, stored.Error!);
                return;
            }

            BlobCreated(request, digest);
            return;
        }

        var session = await uploads.StartAsync(request.Repository, request.CancellationToken);
        if (!session.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(http, session.Error!);
            return;
        }

        UploadAccepted(request, session.Value.Id, 0);
    }

    private async Task PatchAsync(OciRequest request, Guid id)
    {
        var http = request.Http;
        long? offset = null;
        var declared = http.Request.ContentLength;
        var contentRange = http.Request.Headers.ContentRange.ToString();
        if (contentRange.Length > 0)
        {
            if (!TryParseContentRange(contentRange, out var first, out var last))
            {
                await OciResponses.WriteErrorAsync(http, new DomainError(ErrorCode.UploadInvalid, $"Content-Range '{contentRange}' is not of the form <start>-<end>."));
                return;
            }

            if (declared is { } length && length != last - first + 1)
            {
                await OciResponses.WriteErrorAsync(http, new DomainError(ErrorCode.SizeInvalid, "Content-Length does not match Content-Range."));
                return;
            }

            offset = first;
            declared = last - first + 1;
        }

        var appended = await uploads.AppendAsync(request.Repository, id, offset, http.Request.Body, declared, request.CancellationToken);
        if (!appended.IsSuccess)
        {
            await WriteUploadErrorAsync(request, id, appended.Error!);
            return;
        }

        UploadAccepted(request, id, appended.Value);
    }

    private async Task PutAsync(OciRequest request, Guid id)
    {
        var http = request.Http;
        var digestText = http.Request.Query["digest"].ToString();
        if (!Digest.TryParse(digestText, out var digest))
        {
            await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(digestText));
            return;
        }

        // A final chunk may ride on the PUT; an empty body is the usual case.
        if (http.Request.ContentLength is not 0)
        {
            // Into an empty session it is the whole blob: stored in one pass, like POST ?digest=.
            if (await uploads.TryPutIntoEmptyAsync(request.Repository, id, digest, http.Request.Body, http.Request.ContentLength, request.CancellationToken) is { } whole)
            {
                if (!whole.IsSuccess)
                {
                    await OciResponses.WriteErrorAsync(http, whole.Error!);
                    return;
                }

                BlobCreated(request, digest);
                return;
            }

            var appended = await uploads.AppendAsync(request.Repository, id, null, http.Request.Body, http.Request.ContentLength, request.CancellationToken);
            if (!appended.IsSuccess)
            {
                await WriteUploadErrorAsync(request, id, appended.Error!);
                return;
            }
        }

        var completed = await uploads.CompleteAsync(request.Repository, id, digest, request.CancellationToken);
        if (!completed.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(http, completed.Error!);
            return;
        }

        BlobCreated(request, digest);
    }

    private async Task StatusAsync(OciRequest request, Guid id)
    {
        var session = await uploads.GetAsync(request.Repository, id, request.CancellationToken);
        if (!session.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(request.Http, session.Error!);
            return;
        }

        UploadAccepted(request, id, session.Value.Length);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task CancelAsync(OciRequest request, Guid id)
    {
        if (await uploads.CancelAsync(request.Repository, id, request.CancellationToken) is { } error)
        {
            await OciResponses.WriteErrorAsync(request.Http, error);
            return;
        }

        OciResponses.Empty(request.Http, StatusCodes.Status204NoContent);
    }

    private async Task WriteUploadErrorAsync(OciRequest request, Guid id, DomainError error)
    {
        if (error.Code == ErrorCode.UploadRangeInvalid)
        {
            // Tell the client where the upload stands so it can resume.
            var session = await uploads.GetAsync(request.Repository, id, request.CancellationToken);
            if (session.IsSuccess)
            {
                SetSessionHeaders(request, id, session.Value.Length);
            }
        }

        await OciResponses.WriteErrorAsync(request.Http, error);
    }

    private static void UploadAccepted(OciRequest request, Guid id, long length)
    {
        SetSessionHeaders(request, id, length);
        OciResponses.Empty(request.Http, StatusCodes.Status202Accepted);
    }

    private static void SetSessionHeaders(OciRequest request, Guid id, long length)
    {
        var headers = request.Http.Response.Headers;
        headers.Location = $"{request.RepositoryPath}/blobs/uploads/{id}";
        headers[UuidHeader] = id.ToString();
        // Docker reads "0-0" for an empty session; otherwise the inclusive range received so far.
        headers.Range = string.Create(CultureInfo.InvariantCulture, $"0-{Math.Max(0, length - 1)}");
    }

    private static void BlobCreated(OciRequest request, Digest digest)
    {
        var headers = request.Http.Response.Headers;
        headers.Location = $"{request.RepositoryPath}/blobs/{digest}";
        headers[OciResponses.DigestHeader] = digest.ToString();
        OciResponses.Empty(request.Http, StatusCodes.Status201Created);
    }

    /// <summary>OCI's Content-Range is the bare inclusive <c>start-end</c> (Docker clients sometimes prefix "bytes ").</summary>
    private static bool TryParseContentRange(string header, out long first, out long last)
    {
        first = last = 0;
        var text = header.AsSpan().Trim();
        if (text.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            text = text[6..];
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        // last < long.MaxValue keeps the chunk length (last - first + 1) from overflowing into a negative size.
        var dash = text.IndexOf('-');
        return dash > 0
            && long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && last >= first
            && last < long.MaxValue;
    }
}
