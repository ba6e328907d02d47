using Berth.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Domain.Collection;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>Runs the garbage collector on a schedule, online: the server keeps accepting pushes meanwhile.</summary>
/// <remarks>
/// Scheduled on one node at a time (see <see cref="JobLease"/>); the collector's own lock still keeps an admin
/// command's collection from overlapping it.
/// </remarks>
public sealed class GarbageCollectionJob(GarbageCollector collector, BerthOptions options, TimeProvider time, ILogger<GarbageCollectionJob> logger,
    JobLeases? leases = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("gc");
        using var timer = new PeriodicTimer(options.GcInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!await lease.MayRunAsync(logger, stoppingToken))
                {
                    continue;
                }

                var report = await collector.CollectAsync(options.GcGracePeriod, stoppingToken);
                if (report.WasSkipped)
                {
                    logger.GarbageCollectionSkipped();
                }
                else
                {
                    logger.GarbageCollected(report.FilesDeleted, report.BytesFreed);
                    BerthMetrics.GcFreed.Add(report.BytesFreed);
                    BerthMetrics.JobRan(BerthMetrics.Jobs.Gc, true, report.FilesDeleted, time);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.GarbageCollectionFailed(ex);
                BerthMetrics.JobRan(BerthMetrics.Jobs.Gc, false);
            }
        }
    }
}
