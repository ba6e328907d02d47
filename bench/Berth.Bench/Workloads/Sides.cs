using Berth.Bench.Measure;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>What a row measures, so that it can be read against the matching limit (the S3 server's own PUT, GET or request rate).</summary>
public enum Transfer
{
    Push,
    Pull,
    Requests,
}

/// <summary>
/// The two registries a workload compares, already started: Berth and its peer (null, with the reason in
/// <see cref="Missing"/>, when the peer could not run), the table group their rows go in, and how each run is taken.
/// The default runs each side as it is; a subclass may watch something around every run and add what it saw to the row.
/// With <paramref name="pushLimit"/>, a push row's note reads Berth's value against the machine's push ceiling.
/// </summary>
public class Sides(BerthServer berth, Server? peer, string? missing, string group, string peerName = PeerNames.Distribution, PushLimit? pushLimit = null)
{
    public BerthServer Berth => berth;

    public Server? Peer => peer;

    public string? Missing => missing;

    public string Group => group;

    public string PeerName => peerName;

    /// <summary>Runs <paramref name="work"/> against both sides, alternating (see <see cref="Alternation"/>); a missing peer gives NaN.</summary>
    public Task<PairResult> AlternateAsync(int runs, Func<Server, int, Task<double>> work, bool warmUp = false) =>
        Alternation.RunAsync(
            runs,
            berth.Process.Id,
            run => AroundBerthAsync(() => work(berth, run)),
            run => peer is null ? Task.FromResult(double.NaN) : AroundPeerAsync(() => work(peer, run)),
            warmUp);

    /// <summary>The table row of one workload.</summary>
    public virtual Row Row(string workload, PairResult result, Transfer transfer, string unit = "MiB/s")
    {
        var row = BlobWorkloads.Make(workload, result, peer, missing, group, unit, peerName: peerName);
        if (transfer != Transfer.Push || pushLimit is null)
        {
            return row;
        }

        var note = pushLimit.Describe(result.Berth);
        return row with { Note = row.Note.Length > 0 ? row.Note + "; " + note : note };
    }

    protected virtual Task<double> AroundBerthAsync(Func<Task<double>> run) => run();

    protected virtual Task<double> AroundPeerAsync(Func<Task<double>> run) => run();
}
