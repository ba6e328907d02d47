using System.Globalization;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Repositories;
using Berth.Hosting;

namespace Berth.Oci;

/// <summary>GET /v2/&lt;name&gt;/tags/list and GET /v2/_catalog, paged with n and last.</summary>
public sealed class TagHandlers(ImageService images, RepositoryService repositories)
{
    private const int DefaultPageSize = 1000;
    private const int MaxPageSize = 10000;

    public async Task ListAsync(OciRequest request)
    {
        if (!TryReadPaging(request.Http, out var n, out var last))
        {
            await OciResponses.WriteErrorAsync(request.Http, OciErrorCode.PaginationNumberInvalid.With("n must be a non-negative integer"));
            return;
        }

        var page = await images.ListTagsAsync(request.Repository, last, n, request.CancellationToken);
        if (!page.IsSuccess)
        {
            await OciResponses.WriteErrorAsync(request.Http, page.Error!);
            return;
        }

        await WriteAsync(request.Http, $"{request.RepositoryPath}/tags/list", n, page.Value, writer =>
        {
            writer.WriteString("name"u8, request.Route.Name);
            writer.WriteStartArray("tags"u8);
        });
    }

    public async Task CatalogAsync(OciRequest request)
    {
        if (!TryReadPaging(request.Http, out var n, out var last))
        {
            await OciResponses.WriteErrorAsync(request.Http, OciErrorCode.PaginationNumberInvalid.With("n must be a non-negative integer"));
            return;
        }

        var listed = await repositories.ListAsync(request.Scope, last, n, request.CancellationToken);
        var names = new string[listed.Items.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = listed.Items[i].Key.Name;
        }

        await WriteAsync(request.Http, "/v2/_catalog", n, new Page<string>(names, listed.NextKey), writer => writer.WriteStartArray("repositories"u8));
    }

    private static async Task WriteAsync(HttpContext http, string path, int n, Page<string> page, Action<Utf8JsonWriter> open)
    {
        if (page.NextKey is { } next)
        {
            http.Response.Headers.Link = $"<{path}?n={n.ToString(CultureInfo.InvariantCulture)}&last={Uri.EscapeDataString(next)}>; rel=\"next\"";
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        await JsonBody.WriteAsync(http.Response, "application/json", (page, open), static (writer, state) =>
        {
            writer.WriteStartObject();
            state.open(writer);
            foreach (var item in state.page.Items)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, http.RequestAborted);
    }

    private static bool TryReadPaging(HttpContext http, out int n, out string? last)
    {
        var query = http.Request.Query;
        last = query["last"].ToString() is { Length: > 0 } after ? after : null;
        var text = query["n"].ToString();
        if (text.Length == 0)
        {
            n = DefaultPageSize;
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n))
        {
            return false;
        }

        n = Math.Min(n, MaxPageSize);
        return true;
    }
}
