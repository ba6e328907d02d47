using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// What metrics and the access log cost: manifest GET by tag on Berth as shipped (metrics on, access log off) against
/// the same build with one of the two switched (<c>--metrics off</c>, <c>--access-log true</c>), alternating in the same
/// run. Each pair reports throughput and the server's CPU time per request; the latter is steadier on a shared machine,
/// since a neighbour that takes the cores lowers both sides' rates but not what one request costs.
/// </summary>
public static class TelemetryCost
{
    private const string Group = "telemetry cost (/v2/)";

    private static readonly (string Label, string[] Settings)[] Variants =
    [
        ("--metrics off", ["--metrics", "off"]),
        ("--access-log true", ["--access-log", "true"]),
    ];

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var connections = context.Options.ManifestConnections;
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is { } noWrk)
        {
            foreach (var (label, _) in Variants)
            {
                table.Add(new Row(Group, Workload(label, connections), "req/s", true) { Note = noWrk });
            }

            return;
        }

        await using var shipped = await BerthServer.StartAsync(context, context.NewDir("berth-telemetry"), sigV4: false);
        var shippedImage = await PushAsync(context, shipped);
        foreach (var (label, settings) in Variants)
        {
            await using var variant = await BerthServer.StartAsync(context, context.NewDir("berth-telemetry"), sigV4: false, settings: settings);
            var images = new Dictionary<Server, SmallImage> { [shipped] = shippedImage, [variant] = await PushAsync(context, variant) };
            // Alternation warms its peer side up once, as fits a Go or Python server; this peer is Berth too, and its
            // tiered JIT needs the second warm-up run the shipped side gets.
            await ManifestWorkloads.MeasureManifestByTagAsync(context, variant, images[variant], connections);
            var sides = new Sides(shipped, variant, null, Group, peerName: "Berth " + label);
            var cpu = new Dictionary<Server, List<double>>();
            var rate = await sides.AlternateAsync(
                context.Options.LoadRuns,
                async (server, run) =>
                {
                    var use = CpuUse.OfProcess(server.Process.Id);
                    var measured = await ManifestWorkloads.MeasureManifestByTagAsync(context, server, images[server], connections);
                    use.Stop();
                    if (run >= 0 && measured.Requests > 0)
                    {
                        (cpu.TryGetValue(server, out var list) ? list : cpu[server] = []).Add(use.Seconds * 1e6 / measured.Requests);
                    }

                    return measured.RequestsPerSecond;
                },
                warmUp: true);
            table.Add(sides.Row(Workload(label, connections), rate, Transfer.Requests, "req/s"));
            var perRequest = new PairResult(Samples.Median(cpu[shipped]), Samples.Median(cpu[variant]), rate.BerthPeakRssMiB);
            table.Add(BlobWorkloads.Make(
                $"server CPU per manifest GET, as shipped vs {label}", perRequest, variant, null, Group, "µs", higherIsBetter: false, peerName: sides.PeerName));
        }
    }

    private static string Workload(string label, int connections) => $"manifest GET by tag, {connections} connections, as shipped vs {label}";

    private static async Task<SmallImage> PushAsync(BenchContext context, BerthServer server)
    {
        await Peers.CreateRepositoryAsync(server.Ecr(context), ManifestWorkloads.Repository);
        return await ManifestWorkloads.PushImageAsync(context, server);
    }
}
