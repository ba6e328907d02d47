using System.Text;
using Berth.Domain;
using Berth.Domain.Manifests;
using Berth.Domain.Referrers;
using Berth.Hosting;

namespace Berth.Oci;

/// <summary>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;: an image index of the manifests whose subject is the digest.</summary>
public sealed class ReferrerHandlers(ReferrerService referrers)
{
    public async Task ListAsync(OciRequest request)
    {
        var http = request.Http;
        if (!Digest.TryParse(request.Route.Argument, out var subject))
        {
            await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(request.Route.Argument));
            return;
        }

        var artifactType = http.Request.Query["artifactType"].ToString();
        var filter = artifactType.Length > 0 ? ReferrerFilter.OfArtifactType(artifactType) : ReferrerFilter.All;
        var listed = await referrers.ListAsync(request.Repository, subject, filter, request.CancellationToken);
        if (!listed.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(http, listed.Error!);
            return;
        }

        if (artifactType.Length > 0)
        {
            http.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        await JsonBody.WriteAsync(http.Response, ManifestMediaTypes.OciIndex, listed.Value, static (writer, referrers) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion"u8, 2);
            writer.WriteString("mediaType"u8, ManifestMediaTypes.OciIndex);
            writer.WriteStartArray("manifests"u8);
            foreach (var referrer in referrers)
            {
                writer.WriteStartObject();
                writer.WriteString("mediaType"u8, referrer.MediaType);
                writer.WriteString("digest"u8, referrer.Digest.ToString());
                writer.WriteNumber("size"u8, referrer.ManifestSize);
                if (referrer.ArtifactType is { } artifactType)
                {
                    writer.WriteString("artifactType"u8, artifactType);
                }

                if (referrer.AnnotationsJson is { } annotations)
                {
                    writer.WritePropertyName("annotations"u8);
                    writer.WriteRawValue(Encoding.UTF8.GetBytes(annotations), skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, request.CancellationToken);
    }
}
