using Berth.Diagnostics;
using Berth.Domain.Scanning;

namespace Berth.Background;

/// <summary>
/// Runs queued image scans and, after a vulnerability database import, queues the rescans of continuously scanned
/// repositories; on one node at a time (see <see cref="JobLease"/>). It polls every <see cref="PollInterval"/> and is
/// woken at once by scans this process queues.
/// </summary>
public sealed class ScanJob(ScanService scans, ScanQueue queue, ILogger<ScanJob> logger, JobLeases? leases = null) : BackgroundService
{
    /// <summary>How often the queue is read when nothing wakes the job (scans queued by another node, imports).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("scanning");
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                // A held lease renews itself in the background, so an idle poll writes nothing.
                if (lease is { IsHeld: true } || await lease.MayRunAsync(logger, stoppingToken))
                {
                    await scans.RescanAfterImportAsync(stoppingToken);
                    busy = await scans.RunQueuedAsync(stoppingToken) > 0;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.ScanJobFailed(ex);
            }

            if (!busy)
            {
                try
                {
                    await queue.WaitAsync(PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
