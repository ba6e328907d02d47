using Berth.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Domain.Lifecycle;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>
/// Applies every repository's lifecycle policy on a schedule (ECR: "within 24 hours"), on one node at a time (see
/// <see cref="JobLease"/>).
/// </summary>
public sealed class LifecycleJob(LifecycleService lifecycle, BerthOptions options, TimeProvider time, ILogger<LifecycleJob> logger, JobLeases? leases = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("lifecycle");
        using var timer = new PeriodicTimer(options.LifecycleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!await lease.MayRunAsync(logger, stoppingToken))
                {
                    continue;
                }

                var expired = 0;
                foreach (var report in await lifecycle.RunAllAsync(null, stoppingToken))
                {
                    expired += report.Expired;
                }

                BerthMetrics.JobRan(BerthMetrics.Jobs.Lifecycle, true, expired, time);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LifecycleRunFailed(ex);
                BerthMetrics.JobRan(BerthMetrics.Jobs.Lifecycle, false);
            }
        }
    }
}
