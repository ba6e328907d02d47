using System.Diagnostics;
using Berth.Bench.Http;
using Berth.Bench.Report;

namespace Berth.Bench.Workloads;

/// <summary>
/// Many pushes at once, as a CI fleet or a multi-layer push gives: <see cref="BenchOptions.ConcurrentPushes"/> monolithic
/// pushes (POST + PUT) of distinct blobs of <see cref="BenchOptions.ConcurrentBlobSize"/>, started together; the value is
/// the aggregate throughput, all bytes over the time until the last push is answered.
/// </summary>
public static class ConcurrentPushWorkload
{
    private const string Repository = "bench/blobs";
    private const int Workload = 4;

    public static async Task MeasureAsync(BenchContext context, ResultTable table, Sides sides)
    {
        var options = context.Options;
        var blobs = new byte[options.ConcurrentPushes][];
        for (var i = 0; i < blobs.Length; i++)
        {
            blobs[i] = new byte[options.ConcurrentBlobSize];
            Random.Shared.NextBytes(blobs[i]);
        }

        var mib = blobs.Length * options.ConcurrentBlobSize / (double)BenchOptions.MiB;
        var result = await sides.AlternateAsync(options.TransferRuns, async (server, run) =>
        {
            // Fresh bytes every run, so that neither server finds a blob it already holds; hashed before the clock starts.
            var digests = new string[blobs.Length];
            Parallel.For(0, blobs.Length, i => digests[i] = Stamp(blobs[i], Workload, (run * blobs.Length) + i));
            var client = new RegistryClient(context.Http, server.BaseUri);
            var clock = Stopwatch.StartNew();
            var pushes = new Task[blobs.Length];
            for (var i = 0; i < blobs.Length; i++)
            {
                pushes[i] = client.PushMonolithicAsync(Repository, digests[i], new ReadOnlyMemoryContent(blobs[i]));
            }

            await Task.WhenAll(pushes);
            return mib / clock.Elapsed.TotalSeconds;
        });
        // Read against the peer only: one push's ceiling (one core hashing) does not bound sixteen.
        table.Add(sides.Row(
            $"blob push, {blobs.Length} at once of distinct {options.ConcurrentBlobSize / BenchOptions.MiB} MiB blobs (aggregate)",
            result,
            Transfer.Requests));
    }

    /// <summary>Makes <paramref name="data"/> unique to this workload and run (its first 16 bytes) and returns its digest.</summary>
    public static string Stamp(byte[] data, int workload, int run)
    {
        BitConverter.TryWriteBytes(data.AsSpan(0, 8), ((long)workload << 32) | (uint)run);
        BitConverter.TryWriteBytes(data.AsSpan(8, 8), Stopwatch.GetTimestamp());
        return RegistryClient.DigestOf(data);
    }
}
