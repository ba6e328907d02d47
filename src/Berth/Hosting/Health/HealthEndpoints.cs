using System.Diagnostics;
using Berth.Diagnostics.Metrics;

namespace Berth.Hosting.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (<see cref="ReadinessProbe"/>: 200 when every
/// check passes, 503 naming the failures), unauthenticated, for load balancers and orchestrators.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var probe = routes.ServiceProvider.GetRequiredService<ReadinessProbe>();
        var telemetry = routes.ServiceProvider.GetRequiredService<RequestTelemetry>();
        routes.MapGet("/health/live", async http =>
        {
            var started = Stopwatch.GetTimestamp();
            await JsonBody.WriteAsync(http.Response, "application/json", 0, static (writer, _) =>
            {
                writer.WriteStartObject();
                writer.WriteString("status"u8, "live");
                writer.WriteEndObject();
            }, http.RequestAborted);
            telemetry.Record(http, RequestTelemetry.Other, "health live", started);
        });
        routes.MapGet("/health/ready", async http =>
        {
            var started = Stopwatch.GetTimestamp();
            var checks = await probe.CheckAsync(http.RequestAborted);
            var ready = true;
            foreach (var (_, failure) in checks)
            {
                ready &= failure is null;
            }

            http.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            await JsonBody.WriteAsync(http.Response, "application/json", checks, ReadinessProbe.Write, http.RequestAborted);
            telemetry.Record(http, RequestTelemetry.Other, "health ready", started);
        });
        return routes;
    }
}
