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
    private const int ReportLimit = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReportLeftoversAsync(stoppingToken);
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

    /// <summary>
    /// Says at start-up how many upload sessions an earlier run left (an interrupted push) and when they go, so bytes
    /// kept on disk for a day are not a surprise. Counts at most <see cref="ReportLimit"/>.
    /// </summary>
    public async Task<int> ReportLeftoversAsync(CancellationToken cancellationToken)
    {
        try
        {
            var leftovers = await store.Uploads.ListIdleAsync(time.GetUtcNow(), ReportLimit + 1, cancellationToken);
            if (leftovers.Count > 0)
            {
                var count = leftovers.Count > ReportLimit ? $"More than {ReportLimit}" : leftovers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                logger.PartialUploadsFound(count, options.UploadMaxAge, leftovers[0].UpdatedAt + options.UploadMaxAge);
            }

            return leftovers.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A report only: the purge itself runs and logs its own failures.
            logger.UploadPurgeFailed(ex);
            return 0;
        }
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
