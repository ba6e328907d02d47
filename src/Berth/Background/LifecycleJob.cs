using Berth.Diagnostics;
using Berth.Domain.Lifecycle;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>Applies every repository's lifecycle policy on a schedule (ECR: "within 24 hours").</summary>
public sealed class LifecycleJob(LifecycleService lifecycle, BerthOptions options, TimeProvider time, ILogger<LifecycleJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LifecycleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await lifecycle.RunAllAsync(null, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LifecycleRunFailed(ex);
            }
        }
    }
}
