using Berth.Diagnostics;
using Berth.Domain;
using Berth.Hosting;

namespace Berth.Background;

/// <summary>This node's id and the leases its background jobs run under (see <see cref="JobLease"/>).</summary>
public sealed class JobLeases(IMetadataStore store, BerthOptions options, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>This process's holder id: new at every start, so a restarted node is a new holder.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    /// <summary>A lease for the job named <paramref name="job"/>; dispose it when the job stops, to release it.</summary>
    public JobLease For(string job) => new(store.Leases, job, NodeId, options.JobLeaseTtl, time, loggers.CreateLogger<JobLease>());
}

/// <summary>The check every leased job makes before a run.</summary>
public static class JobLeaseExtensions
{
    /// <summary>
    /// Whether this node runs the job now: always without a lease (a host that registered none, as tests may), otherwise
    /// only while it holds the lease.
    /// </summary>
    public static async Task<bool> MayRunAsync(this JobLease? lease, ILogger logger, CancellationToken cancellationToken)
    {
        if (lease is null || await lease.TryHoldAsync(cancellationToken))
        {
            return true;
        }

        logger.JobLeaseHeldElsewhere(lease.Name);
        return false;
    }
}
