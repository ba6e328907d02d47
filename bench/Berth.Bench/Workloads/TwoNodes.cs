using System.Globalization;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// Two Berth processes on one PostgreSQL database and one bucket against one of them, on manifest GET by tag. The
/// load is two wrk processes (one thread, half the connections each) in both cases: at node A and node B, or both at
/// node A, so that only the number of nodes differs. The machine's CPU is read during each run: on a small machine
/// that also runs wrk, the second node can only have what the first left idle.
/// </summary>
public static class TwoNodes
{
    private const double Target = 1.6;
    private const double MachineBound = 0.9;

    public static async Task MeasureAsync(BenchContext context, ResultTable table, string group, BerthServer nodeA, BerthServer nodeB)
    {
        var options = context.Options;
        var connections = options.ManifestConnections;
        var workload = $"manifest GET by tag, two nodes vs one, {connections} connections (2 wrk × {connections / 2})";
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } noWrk)
        {
            table.Add(new Row(group, workload, "req/s", true) { Note = noWrk });
            return;
        }

        // A new image in the shared database through node A; node B must serve exactly it (checked before each load).
        var image = await ManifestWorkloads.PushImageAsync(context, nodeA);
        var busy = new Dictionary<bool, double> { [true] = 0, [false] = 0 };

        async Task<double> LoadAsync(BerthServer first, BerthServer second, bool twoNodes)
        {
            var cpu = CpuUse.OfMachine();
            var rates = await Task.WhenAll(
                ManifestWorkloads.LoadManifestByTagAsync(context, first, image, connections / 2, threads: 1),
                ManifestWorkloads.LoadManifestByTagAsync(context, second, image, connections / 2, threads: 1));
            busy[twoNodes] = Math.Max(busy[twoNodes], cpu.Stop());
            return rates.Sum();
        }

        var result = await Alternation.RunAsync(
            options.LoadRuns,
            nodeA.Process.Id,
            _ => LoadAsync(nodeA, nodeB, twoNodes: true),
            _ => LoadAsync(nodeA, nodeA, twoNodes: false),
            warmUp: true);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"target ≥{Target:0.0}×; machine CPU busy {busy[false]:P0} with one node, {busy[true]:P0} with two ({Environment.ProcessorCount} cores, wrk on the same machine)");
        if (busy[false] >= MachineBound && result.Berth < Target * result.Peer)
        {
            note += "; the machine is the limit: one node already had every core busy, so a second node on it cannot add throughput";
        }

        table.Add(new Row(group, workload, "req/s", true)
        {
            Berth = result.Berth,
            PeerName = PeerNames.OneBerthNode,
            Peer = result.Peer,
            BerthPeakRssMiB = result.BerthPeakRssMiB,
            Note = note,
        });
    }
}
