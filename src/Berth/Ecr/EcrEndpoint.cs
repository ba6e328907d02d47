namespace Berth.Ecr;

/// <summary>The AWS JSON 1.1 endpoint: POST / dispatched on X-Amz-Target, through the <see cref="EcrPipeline"/>.</summary>
public static class EcrEndpoint
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static IEndpointRouteBuilder MapEcr(this IEndpointRouteBuilder routes)
    {
        var pipeline = routes.ServiceProvider.GetRequiredService<EcrPipeline>();
        routes.MapPost("/", pipeline.HandleAsync);
        return routes;
    }
}
