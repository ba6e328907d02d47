using System.Text;
using Berth.Domain;
using Berth.Domain.Manifests;
using Berth.Hosting;

namespace Berth.Oci;

/// <summary>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;: an image index of the manifests whose subject is the digest.</summary>
public sealed class ReferrerHandlers(IMetadataStore store)
{
    public async Task ListAsync(OciRequest request)
    {
        var http = request.Http;
        if (!Digest.TryParse(request.Route.Argument, out var subject))
        {
            await OciResponses.WriteErrorAsync(http, OciError.DigestInvalid(request.Route.Argument));
            return;
        }

        if (await store.Repositories.GetAsync(request.Repository, request.CancellationToken) is null)
        {
            await OciResponses.WriteErrorAsync(http, OciErrors.From(DomainError.RepositoryNotFound(request.Repository)));
            return;
        }

        var filter = http.Request.Query["artifactType"].ToString();
        var referrers = await store.Images.ListReferrersAsync(request.Repository, subject, request.CancellationToken);
        if (filter.Length > 0)
        {
            http.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        await JsonBody.WriteAsync(http.Response, ManifestMediaTypes.OciIndex, (referrers, filter), static (writer, state) =>
        {
            var (referrers, filter) = state;
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion"u8, 2);
            writer.WriteString("mediaType"u8, ManifestMediaTypes.OciIndex);
            writer.WriteStartArray("manifests"u8);
            foreach (var referrer in referrers)
            {
                if (filter.Length > 0 && referrer.ArtifactType != filter)
                {
                    continue;
                }

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
