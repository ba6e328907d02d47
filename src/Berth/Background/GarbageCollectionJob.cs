using Berth.Diagnostics;
using Berth.Domain.Collection;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>Runs the garbage collector on a schedule, online: the server keeps accepting pushes meanwhile.</summary>
public sealed class GarbageCollectionJob(GarbageCollector collector, BerthOptions options, TimeProvider time, ILogger<GarbageCollectionJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.GcInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await collector.CollectAsync(options.GcGracePeriod, stoppingToken);
                if (report.WasSkipped)
                {
                    logger.GarbageCollectionSkipped();
                }
                else
                {
                    logger.GarbageCollected(report.FilesDeleted, report.BytesFreed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.GarbageCollectionFailed(ex);
            }
        }
    }
}
