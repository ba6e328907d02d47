using Berth.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Domain;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>
/// Ends upload sessions idle longer than the configured age and removes their bytes and any temporary
/// files a crash left behind, so abandoned pushes do not fill the disk. Runs on one node at a time (see
/// <see cref="JobLease"/>).
/// </summary>
public sealed class UploadPurgeJob(IMetadataStore store, IBlobUploadStore uploads, BerthOptions options, TimeProvider time, ILogger<UploadPurgeJob> logger,
    JobLeases? leases = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("upload-purge");
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Clamp(options.UploadMaxAge.TotalMinutes / 4, 1, 60)), time);
        do
        {
            try
            {
                if (!await lease.MayRunAsync(logger, stoppingToken))
                {
                    continue;
                }

                BerthMetrics.JobRan(BerthMetrics.Jobs.UploadPurge, true, await PurgeAsync(stoppingToken), time);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.UploadPurgeFailed(ex);
                BerthMetrics.JobRan(BerthMetrics.Jobs.UploadPurge, false);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One purge pass; returns how many sessions and files went.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.UploadMaxAge;
        var removed = 0;
        while (true)
        {
            var idle = await store.Uploads.ListIdleAsync(cutoff, 500, cancellationToken);
            foreach (var session in idle)
            {
                if (await store.Uploads.DeleteAsync(session.Id, cancellationToken))
                {
                    BerthMetrics.UploadsOpen.Add(-1);
                }

                await uploads.AbortAsync(session.Id, cancellationToken);
                removed++;
            }

            if (idle.Count < 500)
            {
                break;
            }
        }

        removed += await uploads.PurgeUploadsAsync(cutoff, cancellationToken);
        if (removed > 0)
        {
            logger.UploadsPurged(removed);
        }

        return removed;
    }
}
