using Berth.Bench.Processes;

namespace Berth.Bench.Measure;

/// <summary>The medians of a workload run against Berth and a peer, and Berth's peak RSS during its runs.</summary>
public sealed record PairResult(double Berth, double Peer, double BerthPeakRssMiB);

/// <summary>
/// Runs a workload against Berth and a peer in alternating order (B,P then P,B …) so that drift of the
/// machine (other load, page cache, thermal) lands on both sides.
/// </summary>
public static class Alternation
{
    /// <summary>Runs both sides; <paramref name="berthPid"/> is sampled for RSS during Berth's runs (null: a fresh process per run).</summary>
    /// <remarks>
    /// With <paramref name="warmUp"/>, runs that are not counted come first (run number -1): a load workload measures a
    /// server in its steady state. Berth gets two: .NET's tiered JIT (with profile-guided optimisation) took about 8 s of
    /// load on two busy cores to compile the hot paths at full optimisation, and the first 4 s ran at half speed. The
    /// peer gets one, for its caches; a Go or Python server has no such warm-up.
    /// </remarks>
    public static async Task<PairResult> RunAsync(int runs, int? berthPid, Func<int, Task<double>> berth, Func<int, Task<double>> peer, bool warmUp = false)
    {
        if (warmUp)
        {
            await berth(-1);
            await berth(-1);
            await peer(-1);
        }

        var berthValues = new List<double>(runs);
        var peerValues = new List<double>(runs);
        double rss = 0;
        for (var run = 0; run < runs; run++)
        {
            if (run % 2 == 1)
            {
                peerValues.Add(await peer(run));
            }

            if (berthPid is { } pid)
            {
                await using var sampler = RssSampler.Start(pid);
                berthValues.Add(await berth(run));
                rss = Math.Max(rss, await sampler.StopAsync());
            }
            else
            {
                berthValues.Add(await berth(run));
            }

            if (run % 2 == 0)
            {
                peerValues.Add(await peer(run));
            }
        }

        return new PairResult(Samples.Median(berthValues), Samples.Median(peerValues), rss);
    }

    /// <summary>Berth alone: the median of <paramref name="runs"/> runs and the peak RSS during them.</summary>
    public static async Task<(double Median, double PeakRssMiB)> RunBerthAsync(int runs, int berthPid, Func<int, Task<double>> berth)
    {
        var values = new List<double>(runs);
        double rss = 0;
        for (var run = 0; run < runs; run++)
        {
            await using var sampler = RssSampler.Start(berthPid);
            values.Add(await berth(run));
            rss = Math.Max(rss, await sampler.StopAsync());
        }

        return (Samples.Median(values), rss);
    }
}
