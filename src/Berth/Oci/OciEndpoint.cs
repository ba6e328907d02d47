using Berth.Domain;

namespace Berth.Oci;

/// <summary>The OCI Distribution API under /v2/: authentication, routing, and the resource handlers.</summary>
public static class OciEndpoint
{
    public static IEndpointRouteBuilder MapOci(this IEndpointRouteBuilder routes)
    {
        routes.Map("/v2", HandleAsync);
        routes.Map("/v2/{**path}", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers[OciResponses.ApiVersionHeader] = "registry/2.0";
        var services = http.RequestServices;
        var authenticator = services.GetRequiredService<OciAuthenticator>();
        var path = http.Request.Path.Value ?? string.Empty;
        path = path.Length <= 4 ? string.Empty : path[4..];
        var known = OciRoute.TryParse(path, out var route);
        if (authenticator.Authenticate(http.Request, route) is not { } scope)
        {
            http.Response.Headers.WWWAuthenticate = authenticator.Challenge();
            await OciResponses.WriteErrorAsync(http, new OciError("UNAUTHORIZED", "authentication required: log in with the password from aws ecr get-login-password", 401));
            return;
        }

        if (!known)
        {
            await OciResponses.WriteErrorAsync(http, OciError.NotFound());
            return;
        }

        if (route.Resource is not (OciResource.Base or OciResource.Catalog) && !RepositoryNames.IsValid(route.Name))
        {
            await OciResponses.WriteErrorAsync(http, OciError.NameInvalid(route.Name));
            return;
        }

        var request = new OciRequest(http, route, scope);
        var method = http.Request.Method;
        var handled = route.Resource switch
        {
            OciResource.Base when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => Base(http),
            OciResource.Catalog when HttpMethods.IsGet(method) => services.GetRequiredService<TagHandlers>().CatalogAsync(request),
            OciResource.Tags when HttpMethods.IsGet(method) => services.GetRequiredService<TagHandlers>().ListAsync(request),
            OciResource.Referrers when HttpMethods.IsGet(method) => services.GetRequiredService<ReferrerHandlers>().ListAsync(request),
            OciResource.Manifest => services.GetRequiredService<ManifestHandlers>().HandleAsync(request),
            OciResource.Blob => services.GetRequiredService<BlobHandlers>().HandleAsync(request),
            OciResource.Uploads or OciResource.Upload => services.GetRequiredService<UploadHandlers>().HandleAsync(request),
            _ => null,
        };

        if (handled is null)
        {
            await OciResponses.WriteErrorAsync(http, OciError.MethodNotAllowed());
            return;
        }

        await handled;
    }

    private static Task Base(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{}", http.RequestAborted);
    }
}
