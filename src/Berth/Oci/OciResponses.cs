using Berth.Hosting;

namespace Berth.Oci;

/// <summary>Writes OCI error bodies and the headers every /v2/ response carries.</summary>
public static class OciResponses
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";
    public const string DigestHeader = "Docker-Content-Digest";

    /// <summary>Where the error a request was answered with is kept for the audit record (<see cref="ErrorOf"/>).</summary>
    private static readonly object ErrorKey = new();

    /// <summary>The OCI error this request was answered with, if any.</summary>
    public static OciError? ErrorOf(HttpContext http) => http.Items.TryGetValue(ErrorKey, out var error) ? error as OciError : null;

    public static async Task WriteErrorAsync(HttpContext http, OciError error)
    {
        http.Items[ErrorKey] = error;
        http.Response.StatusCode = error.StatusCode;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        await JsonBody.WriteAsync(http.Response, "application/json", error, static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors"u8);
            writer.WriteStartObject();
            writer.WriteString("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, http.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext http, Domain.DomainError error) => WriteErrorAsync(http, OciErrors.From(error));

    /// <summary>An empty answer with a status, as uploads and deletes reply.</summary>
    public static void Empty(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentLength = 0;
    }
}
