namespace Berth.Oci;

/// <summary>The OCI Distribution API under /v2/, through the <see cref="OciPipeline"/>.</summary>
public static class OciEndpoint
{
    public static IEndpointRouteBuilder MapOci(this IEndpointRouteBuilder routes)
    {
        var pipeline = routes.ServiceProvider.GetRequiredService<OciPipeline>();
        routes.Map("/v2", pipeline.HandleAsync);
        routes.Map("/v2/{**path}", pipeline.HandleAsync);
        return routes;
    }
}
