using Berth.Diagnostics;
using Berth.Domain.Signing;

namespace Berth.Background;

/// <summary>
/// Signs pushes that matched a signing rule: woken by each push on this node, and polling for the pushes other nodes
/// queued. Runs on one node at a time (see <see cref="JobLease"/>); the jobs are rows, so a node that takes over finds
/// the work a dead one left.
/// </summary>
public sealed class SignOnPushJob(ImageSigner signer, SigningWake wake, ILogger<SignOnPushJob> logger, JobLeases? leases = null) : BackgroundService
{
    /// <summary>How often queued jobs are looked for without a wake (pushes on other nodes wake only their own).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("image-signing");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A held lease renews itself in the background, so only a node without it asks the database each time.
                if (lease is { IsHeld: true } || await lease.MayRunAsync(logger, stoppingToken))
                {
                    await signer.RunAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.SigningJobFailed(ex);
            }

            try
            {
                await wake.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
