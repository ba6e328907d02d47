using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

// TEMPORARY A/B harness: Berth with one write variant against Berth with the old one, same run.
public static class PushVariants
{
    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var variants = (Environment.GetEnvironmentVariable("AB_VARIANTS") ?? "pipe-direct,pipe-buffered,pipe-buffered-sfr").Split(',');
        var baseline = Environment.GetEnvironmentVariable("AB_BASELINE") ?? "serial-direct";
        await using var a = await BerthServer.StartAsync(context, context.NewDir("berth-a"), sigV4: false, new Dictionary<string, string> { ["BERTH_PUSH_VARIANT"] = baseline });
        await Peers.CreateRepositoryAsync(a.Ecr(context), "bench/blobs");
        foreach (var variant in variants)
        {
            await using var b = await BerthServer.StartAsync(context, context.NewDir("berth-" + variant), sigV4: false, new Dictionary<string, string> { ["BERTH_PUSH_VARIANT"] = variant });
            await Peers.CreateRepositoryAsync(b.Ecr(context), "bench/blobs");
            var sides = new Sides(b, a, null, "A/B " + variant, peerName: baseline, pushLimit: context.PushLimit);
            var data = new byte[context.Options.BlobSize];
            Random.Shared.NextBytes(data);
            var mib = context.Options.BlobSize / (double)BenchOptions.MiB;
            var mono = await sides.AlternateAsync(context.Options.TransferRuns, (server, run) =>
            {
                var digest = ConcurrentPushWorkload.Stamp(data, 9, run);
                return BlobWorkloads.TimeAsync(() => new Http.RegistryClient(context.Http, server.BaseUri).PushMonolithicAsync("bench/blobs", digest, new ReadOnlyMemoryContent(data)), mib);
            });
            table.Add(sides.Row("monolithic push", mono, Transfer.Push));
            await FirstPullWorkload.MeasureAsync(context, table, sides);
            await ConcurrentPushWorkload.MeasureAsync(context, table, sides);
        }
    }
}
