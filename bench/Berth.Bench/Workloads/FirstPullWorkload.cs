using Berth.Bench.Http;
using Berth.Bench.Report;

namespace Berth.Bench.Workloads;

/// <summary>
/// The first pull of a layer just pushed: each run pushes a fresh blob (not timed) and at once GETs it whole (timed), as
/// a CI job does that pushes an image and then runs it elsewhere. Whether the bytes are still in the page cache depends
/// on how the registry wrote them.
/// </summary>
public static class FirstPullWorkload
{
    private const string Repository = "bench/blobs";
    private const int Workload = 3;

    public static async Task MeasureAsync(BenchContext context, ResultTable table, Sides sides)
    {
        var options = context.Options;
        var data = new byte[options.BlobSize];
        Random.Shared.NextBytes(data);
        var mib = options.BlobSize / (double)BenchOptions.MiB;
        var result = await sides.AlternateAsync(options.TransferRuns, async (server, run) =>
        {
            var client = new RegistryClient(context.Http, server.BaseUri);
            var digest = ConcurrentPushWorkload.Stamp(data, Workload, run);
            await client.PushMonolithicAsync(Repository, digest, new ReadOnlyMemoryContent(data));
            return await BlobWorkloads.TimeAsync(async () => Check(await client.PullAsync(Repository, digest), options.BlobSize), mib);
        });
        table.Add(sides.Row($"blob pull {options.BlobSize / BenchOptions.MiB} MiB, first GET right after its push", result, Transfer.Pull));
    }

    private static void Check(long read, long expected)
    {
        if (read != expected)
        {
            throw new InvalidOperationException($"read {read} bytes, expected {expected}");
        }
    }
}
