using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Manifests;
using Berth.Domain.PullThrough;

namespace Berth.Oci;

/// <summary>GET, HEAD, PUT and DELETE of /v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;.</summary>
public sealed class ManifestHandlers(ManifestService manifests, ImageService images, PullThroughCache cache)
{
    public async Task HandleAsync(OciRequest request)
    {
        var http = request.Http;
        var method = http.Request.Method;
        var argument = request.Route.Argument;
        ManifestReference reference;
        if (argument.Contains(':', StringComparison.Ordinal))
        {
            if (!Digest.TryParse(argument, out var digest))
            {
                await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(argument));
                return;
            }

            reference = ManifestReference.ForDigest(digest);
        }
        else if (ImageTags.IsValid(argument))
        {
            reference = ManifestReference.ForTag(argument);
        }
        else
        {
            // An invalid tag names nothing that could exist: the spec's answer is 404, except on PUT.
            await OciResponses.WriteErrorAsync(
                http,
                HttpMethods.IsPut(method) ? OciErrorCode.TagInvalid.With($"'{argument}' is not a valid tag") : OciError.ManifestUnknown(argument));
            return;
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            await GetAsync(request, reference, HttpMethods.IsHead(method));
        }
        else if (HttpMethods.IsPut(method))
        {
            await PutAsync(request, reference);
        }
        else if (HttpMethods.IsDelete(method))
        {
            if (await manifests.DeleteAsync(request.Repository, reference, request.CancellationToken) is { } error)
            {
                await OciResponses.WriteErrorAsync(http, error);
                return;
            }

            OciResponses.Empty(http, StatusCodes.Status202Accepted);
        }
        else
        {
            await OciResponses.WriteErrorAsync(http, OciError.MethodNotAllowed());
        }
    }

    private async Task GetAsync(OciRequest request, ManifestReference reference, bool head)
    {
        var found = await cache.PullAsync(request.Asked!, request.Repository, reference, request.CancellationToken);
        if (!found.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(request.Http, found.Error!);
            return;
        }

        var image = found.Value;
        var response = request.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = image.MediaType;
        response.ContentLength = image.ManifestSize;
        response.Headers[OciResponses.DigestHeader] = image.Digest.ToString();
        response.Headers.ETag = "\"" + image.Digest + "\"";
        if (head)
        {
            return;
        }

        await images.RecordPullAsync(request.Repository, image, request.Caller.Principal, request.CancellationToken);

        await response.Body.WriteAsync(image.Manifest!.Value, request.CancellationToken);
    }

    private async Task PutAsync(OciRequest request, ManifestReference reference)
    {
        var http = request.Http;
        var body = await ReadManifestAsync(http);
        if (body is null)
        {
            await OciResponses.WriteErrorAsync(
                http,
                OciErrorCode.ManifestTooLarge.With($"manifest is larger than the {ManifestParser.MaxManifestBytes}-byte limit"));
            return;
        }

        var stored = await manifests.PutAsync(
            request.Repository,
            body,
            http.Request.ContentType,
            reference.Tag,
            reference.Digest,
            request.CancellationToken);
        if (!stored.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(http, stored.Error!);
            return;
        }

        var headers = http.Response.Headers;
        headers.Location = $"{request.RepositoryPath}/manifests/{stored.Value.Digest}";
        headers[OciResponses.DigestHeader] = stored.Value.Digest.ToString();
        if (stored.Value.Subject is { } subject)
        {
            headers["OCI-Subject"] = subject.ToString();
        }

        OciResponses.Empty(http, StatusCodes.Status201Created);
    }

    /// <summary>The body, or null when it exceeds the manifest size limit.</summary>
    private static async Task<byte[]?> ReadManifestAsync(HttpContext http)
    {
        if (http.Request.ContentLength > ManifestParser.MaxManifestBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(http.Request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > ManifestParser.MaxManifestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
