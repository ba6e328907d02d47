using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// What a CI job that starts a registry pays: from process start to the first answered <c>GET /v2/</c>, the CPU time
/// the process used to get there, and the resident memory once the server has idled 5 s. Berth's Native AOT binary
/// (the packaged one) and its JIT Release build against docker-registry, each started on a fresh data dir, in rotating
/// order so machine drift lands on all. With <c>--aot-baseline</c> a second AOT binary (the build before a change)
/// joins the rotation, so a before/after comparison comes from one run.
/// </summary>
public static class StartupWorkloads
{
    private const string Group = "start-up and idle memory";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var aot = context.Options.AotExecutable ?? await Machine.PublishBerthAotAsync(context);
        var missing = Tools.Missing(context.Tools.DockerRegistry, "docker-registry", "apt-get install docker-registry");
        var sides = new List<(string Name, Func<int, Task<Sample>> Start)>
        {
            ("aot", run => BerthAsync(context, aot, $"aot-{run}")),
            ("jit", run => BerthAsync(context, context.BerthExecutable, $"jit-{run}")),
        };
        var labels = new List<(string Name, string Label)> { ("aot", "Native AOT"), ("jit", "JIT Release build") };
        if (context.Options.AotBaseline is { } baseline)
        {
            sides.Add(("aot-baseline", run => BerthAsync(context, baseline, $"aot-baseline-{run}")));
            labels.Add(("aot-baseline", "Native AOT baseline " + Path.GetFileName(Path.GetDirectoryName(baseline))));
        }

        if (missing is null)
        {
            sides.Add(("distribution", run => DistributionAsync(context, $"registry-{run}")));
        }

        var samples = sides.ToDictionary(s => s.Name, _ => new List<Sample>());
        for (var run = 0; run < context.Options.TransferRuns; run++)
        {
            // Rotate who starts first: the first start of a round finds the page cache as the previous round left it.
            for (var i = 0; i < sides.Count; i++)
            {
                var (name, start) = sides[(run + i) % sides.Count];
                var sample = await start(run);
                samples[name].Add(sample);
                BenchContext.Log($"startup {name} run {run}: {sample.Ms:F1} ms ({sample.CpuMs:F0} ms CPU), {sample.RssMiB:F1} MiB after {Idle.TotalSeconds:0} s idle");
            }
        }

        double Median(string name, Func<Sample, double> pick) => Samples.Median(samples[name].Select(pick).ToList());
        double? Peer(Func<Sample, double> pick) => missing is null ? Median("distribution", pick) : null;
        foreach (var (name, label) in labels)
        {
            table.Add(new Row(Group, $"start-up to first answered GET /v2/ ({label}, fresh data dir)", "ms", false)
            {
                Berth = Median(name, s => s.Ms),
                PeerName = PeerNames.Distribution,
                Peer = Peer(s => s.Ms),
                Note = missing ?? "median of fresh starts; Berth with --auth none (no first key), as docker-registry has no auth; target ≤ 1.5× docker-registry (ratio ≥ 0.67)",
            });
            table.Add(new Row(Group, $"CPU time to first answered GET /v2/ ({label})", "ms", false)
            {
                Berth = Median(name, s => s.CpuMs),
                PeerName = PeerNames.Distribution,
                Peer = Peer(s => s.CpuMs),
                Note = missing ?? "utime + stime of the process when it first answered (10 ms ticks); unlike wall time, not stretched by a busy machine",
            });
            table.Add(new Row(Group, $"RSS after {Idle.TotalSeconds:0} s idle ({label})", "MiB", false)
            {
                Berth = Median(name, s => s.RssMiB),
                PeerName = PeerNames.Distribution,
                Peer = Peer(s => s.RssMiB),
                Note = missing ?? "VmRSS from /proc/PID/status; target ≤ 2× docker-registry (ratio ≥ 0.5)",
            });
        }
    }

    private static async Task<Sample> BerthAsync(BenchContext context, string executable, string name)
    {
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("startup-" + name), sigV4: false, executable: executable);
        var cpu = CpuUse.TotalSeconds(berth.Process.Id) * 1000;
        return new Sample(berth.StartupTime.TotalMilliseconds, cpu, await IdleRssAsync(berth));
    }

    private static async Task<Sample> DistributionAsync(BenchContext context, string name)
    {
        await using var registry = await DistributionServer.StartAsync(context, context.NewDir("startup-" + name));
        var cpu = CpuUse.TotalSeconds(registry.Process.Id) * 1000;
        return new Sample(registry.StartupTime.TotalMilliseconds, cpu, await IdleRssAsync(registry));
    }

    private static async Task<double> IdleRssAsync(Server server)
    {
        await Task.Delay(Idle);
        return (server.Process.ReadStatusKiB("VmRSS") ?? 0) / 1024.0;
    }

    private readonly record struct Sample(double Ms, double CpuMs, double RssMiB);
}
