using System.Globalization;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// Berth and Distribution on the same S3 server: every run of either side is timed against the S3 server's CPU, and
/// each row says how busy the server was and what it managed alone, so an S3-bound number is marked as such.
/// </summary>
/// <remarks>
/// moto_server is one Python process: under its interpreter lock it does about one core of work at most. A side
/// whose runs kept it at <see cref="SaturatedCores"/> or more, or that reached <see cref="NearLimit"/> of the
/// server's own rate, was held back by the S3 server rather than by the registry.
/// </remarks>
public sealed class S3Sides(BerthServer berth, Server? peer, string? missing, string group, MotoServer moto, S3Limit limit, IReadOnlyDictionary<Transfer, double> targets)
    : Sides(berth, peer, missing, group, PeerNames.DistributionOnS3)
{
    private const double SaturatedCores = 0.85;
    private const double NearLimit = 0.8;

    private readonly List<double> _berthSeconds = [];
    private readonly List<double> _peerSeconds = [];
    private double _berthCores;
    private double _peerCores;

    public override Row Row(string workload, PairResult result, Transfer transfer, string unit = "MiB/s")
    {
        var row = base.Row(workload, result, transfer, unit);
        var (value, what) = limit.For(transfer);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"target ≥{targets[transfer]:0.0}×; moto CPU Berth {_berthCores:F2} / peer {_peerCores:F2} cores; moto alone {ResultTable.Format(value)} {unit} ({what})");
        if (transfer != Transfer.Requests)
        {
            // CPU time of the registry process itself per run: under the same S3 server, the side that spends more is slower by its own doing.
            note += string.Create(CultureInfo.InvariantCulture,
                $"; registry CPU per run Berth {Samples.Median(_berthSeconds):F2} s / peer {(Peer is null ? double.NaN : Samples.Median(_peerSeconds)):F2} s");
        }

        var bound = new List<string>();
        // A registry's request rate is not comparable with the server's: Berth answers manifests without S3, Distribution
        // makes several S3 calls per request. For those rows only the server's CPU tells.
        var limitApplies = transfer != Transfer.Requests;
        if (IsBound(result.Berth, _berthCores, limitApplies ? value : double.NaN))
        {
            bound.Add("Berth");
        }

        if (Peer is not null && IsBound(result.Peer, _peerCores, limitApplies ? value : double.NaN))
        {
            bound.Add("peer");
        }

        if (bound.Count > 0)
        {
            note += $"; S3 server is the bottleneck for {string.Join(" and ", bound)}";
        }

        _berthCores = _peerCores = 0;
        _berthSeconds.Clear();
        _peerSeconds.Clear();
        return row with { Note = row.Note.Length > 0 ? row.Note + "; " + note : note };
    }

    protected override async Task<double> AroundBerthAsync(Func<Task<double>> run)
    {
        var (value, cores, seconds) = await WatchAsync(Berth, run);
        _berthCores = Math.Max(_berthCores, cores);
        _berthSeconds.Add(seconds);
        return value;
    }

    protected override async Task<double> AroundPeerAsync(Func<Task<double>> run)
    {
        var (value, cores, seconds) = await WatchAsync(Peer!, run);
        _peerCores = Math.Max(_peerCores, cores);
        _peerSeconds.Add(seconds);
        return value;
    }

    private static bool IsBound(double value, double cores, double limit) =>
        cores >= SaturatedCores || (double.IsFinite(limit) && limit > 0 && value >= NearLimit * limit);

    private async Task<(double Value, double MotoCores, double RegistrySeconds)> WatchAsync(Server registry, Func<Task<double>> run)
    {
        var s3 = CpuUse.OfProcess(moto.Process.Id);
        var own = CpuUse.OfProcess(registry.Process.Id);
        var value = await run();
        own.Stop();
        return (value, s3.Stop(), own.Seconds);
    }
}
