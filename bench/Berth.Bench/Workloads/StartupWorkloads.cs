using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// What a CI job that starts a registry pays: from process start to the first answered <c>GET /v2/</c>, and the
/// resident memory once the server has idled 5 s. Berth's Native AOT binary (the packaged one) and its JIT Release
/// build against docker-registry, each started on a fresh data dir, in rotating order so machine drift lands on all.
/// </summary>
public static class StartupWorkloads
{
    private const string Group = "start-up and idle memory";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var aot = context.Options.AotExecutable ?? await Machine.PublishBerthAotAsync(context);
        var missing = Tools.Missing(context.Tools.DockerRegistry, "docker-registry", "apt-get install docker-registry");
        var sides = new List<(string Name, Func<int, Task<(double Ms, double RssMiB)>> Start)>
        {
            ("aot", run => BerthAsync(context, aot, $"aot-{run}")),
            ("jit", run => BerthAsync(context, context.BerthExecutable, $"jit-{run}")),
        };
        if (missing is null)
        {
            sides.Add(("distribution", run => DistributionAsync(context, $"registry-{run}")));
        }

        var samples = sides.ToDictionary(s => s.Name, _ => (Ms: new List<double>(), Rss: new List<double>()));
        for (var run = 0; run < context.Options.TransferRuns; run++)
        {
            // Rotate who starts first: the first start of a round finds the page cache as the previous round left it.
            for (var i = 0; i < sides.Count; i++)
            {
                var (name, start) = sides[(run + i) % sides.Count];
                var (ms, rss) = await start(run);
                samples[name].Ms.Add(ms);
                samples[name].Rss.Add(rss);
                BenchContext.Log($"startup {name} run {run}: {ms:F1} ms, {rss:F1} MiB after {Idle.TotalSeconds:0} s idle");
            }
        }

        double? Peer(Func<(List<double> Ms, List<double> Rss), List<double>> pick) =>
            missing is null ? Samples.Median(pick(samples["distribution"])) : null;
        foreach (var (name, label) in new[] { ("aot", "Native AOT"), ("jit", "JIT Release build") })
        {
            table.Add(new Row(Group, $"start-up to first answered GET /v2/ ({label}, fresh data dir)", "ms", false)
            {
                Berth = Samples.Median(samples[name].Ms),
                PeerName = PeerNames.Distribution,
                Peer = Peer(s => s.Ms),
                Note = missing ?? "median of fresh starts; Berth with --auth none (no first key), as docker-registry has no auth; target ≤ 1.5× docker-registry",
            });
            table.Add(new Row(Group, $"RSS after {Idle.TotalSeconds:0} s idle ({label})", "MiB", false)
            {
                Berth = Samples.Median(samples[name].Rss),
                PeerName = PeerNames.Distribution,
                Peer = Peer(s => s.Rss),
                Note = missing ?? "VmRSS from /proc/PID/status; target ≤ 2× docker-registry",
            });
        }
    }

    private static async Task<(double Ms, double RssMiB)> BerthAsync(BenchContext context, string executable, string name)
    {
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("startup-" + name), sigV4: false, executable: executable);
        return (berth.StartupTime.TotalMilliseconds, await IdleRssAsync(berth));
    }

    private static async Task<(double Ms, double RssMiB)> DistributionAsync(BenchContext context, string name)
    {
        await using var registry = await DistributionServer.StartAsync(context, context.NewDir("startup-" + name));
        return (registry.StartupTime.TotalMilliseconds, await IdleRssAsync(registry));
    }

    private static async Task<double> IdleRssAsync(Server server)
    {
        await Task.Delay(Idle);
        return (server.Process.ReadStatusKiB("VmRSS") ?? 0) / 1024.0;
    }
}
