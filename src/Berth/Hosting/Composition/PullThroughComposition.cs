using Berth.Domain.PullThrough;
using Berth.Ecr.Operations;

namespace Berth.Hosting.Composition;

/// <summary>The pull-through cache's services: rules, secrets, the upstream client and the pull path.</summary>
public static class PullThroughComposition
{
    // Connecting to an upstream that is down must fail fast: a cached image is then served instead.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddBerthPullThrough(this IServiceCollection services)
    {
        services.AddSingleton(provider => new UpstreamClient(
            new HttpClient(new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = true,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            })
            {
                // Blobs stream for as long as they take; a hung upstream is cut by the connect timeout or the client.
                Timeout = Timeout.InfiniteTimeSpan,
            },
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UpstreamSecrets>();
        services.AddSingleton<PullThroughRuleService>();
        services.AddSingleton<UpstreamImportAccess>();
        services.AddSingleton<PullThroughCache>();
        services.AddSingleton<PullThroughOperations>();
        return services;
    }
}
