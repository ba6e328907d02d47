using Berth.Sts;

namespace Berth.Ecr;

/// <summary>The AWS JSON 1.1 endpoint: POST / dispatched on X-Amz-Target, through the <see cref="EcrPipeline"/>.</summary>
public static class EcrEndpoint
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static IEndpointRouteBuilder MapEcr(this IEndpointRouteBuilder routes)
    {
        var pipeline = routes.ServiceProvider.GetRequiredService<EcrPipeline>();
        var sts = routes.ServiceProvider.GetRequiredService<StsHandler>();
        // STS's query protocol shares the endpoint (aws sts get-caller-identity --endpoint-url, Terraform's account
        // lookup): a form body without X-Amz-Target is STS, anything else is the ECR JSON API.
        routes.MapPost("/", http => StsHandler.IsStsRequest(http.Request) ? sts.HandleAsync(http) : pipeline.HandleAsync(http));
        // A client given an endpoint with a path (--endpoint-url http://host:5000/ecr) reaches no operation; the answer
        // says where the API is, so the aws CLI prints a reason instead of an empty message. A fallback, not a POST
        // route, so other methods on unknown paths stay a plain 404 rather than becoming 405.
        routes.MapFallback(static http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return EcrPipeline.WriteErrorAsync(http, EcrError.WrongPath(http.Request.Path));
        });
        return routes;
    }
}
