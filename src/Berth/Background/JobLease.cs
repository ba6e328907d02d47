using Berth.Diagnostics;
using Berth.Domain;

namespace Berth.Background;

/// <summary>
/// One background job's lease on this node: of several nodes sharing one database, only the holder runs the job, and
/// when the holder dies its lease expires and the next node whose schedule comes round takes the job over.
/// </summary>
/// <remarks>
/// The lease's time to live is <c>--job-lease-ttl</c> (<see cref="DefaultTtl"/> unless set), not a multiple of the job's interval: a lifecycle interval is
/// a day, and a lease of several days would leave a crashed node's job unrun that long (on a single node, across a
/// restart too). Instead, once this node holds the lease it renews it every third of the TTL for as long as it runs,
/// between runs and during a run alike, so a run of any length keeps it; a node that stops renewing loses it within
/// one TTL. A graceful stop releases it at once.
/// </remarks>
/// <param name="leases">The shared database's leases.</param>
/// <param name="name">The job's lease name, the same on every node.</param>
/// <param name="holder">This node's id.</param>
/// <param name="ttl">The lease's time to live.</param>
/// <param name="time">The clock the renewals are timed by.</param>
/// <param name="logger">Where taking, losing and failing to renew the lease are told.</param>
public sealed class JobLease(ILeaseStore leases, string name, string holder, TimeSpan ttl, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    /// <summary>How long a lease outlives its holder's last renewal.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _renewing;

    public string Name { get; } = name;

    public string Holder { get; } = holder;

    public TimeSpan Ttl { get; } = ttl;

    /// <summary>Whether this node held the lease at its last acquisition or renewal.</summary>
    public bool IsHeld { get; private set; }

    /// <summary>
    /// Takes or renews the lease before a run; true when this node may run the job now. Once held, it is renewed in the
    /// background until lost or disposed.
    /// </summary>
    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        var held = await leases.TryAcquireAsync(Name, Holder, Ttl, cancellationToken);
        if (held && !IsHeld)
        {
            logger.JobLeaseTaken(Name, Holder);
        }

        IsHeld = held;
        if (held && _renewing is not { IsCompleted: false })
        {
            _renewing = RenewAsync(_stopping.Token);
        }

        return held;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_renewing is not null)
        {
            await _renewing;
        }

        if (IsHeld)
        {
            IsHeld = false;
            try
            {
                await leases.ReleaseAsync(Name, Holder, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The lease then simply expires after its TTL.
                logger.JobLeaseRenewalFailed(Name, ex);
            }
        }

        _stopping.Dispose();
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Ttl / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await leases.TryAcquireAsync(Name, Holder, Ttl, stoppingToken))
                    {
                        // Another node took it (this one missed renewals for a whole TTL); a run under way finishes, and
                        // the next run waits for the lease like any other node.
                        IsHeld = false;
                        logger.JobLeaseLost(Name, Holder);
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Retried on the next tick; a third of the TTL leaves two more tries before it expires.
                    logger.JobLeaseRenewalFailed(Name, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the caller releases the lease.
        }
    }
}
