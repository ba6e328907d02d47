using System.Diagnostics;
using Berth.Bench.Http;
using Berth.Bench.Measure;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// /v2/ blob transfers of one blob: monolithic push (POST + one PUT), chunked push (PATCHes of 16 MiB), and pull
/// (one GET of the whole blob; GETs of 16 MiB ranges). Every push run sends different bytes (a stamped prefix) so
/// neither server can skip a blob it already has; pulls read the last pushed blob, from the page cache.
/// </summary>
public static class BlobWorkloads
{
    private const string Group = "blobs (/v2/)";
    private const string Repository = "bench/blobs";

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-blobs"), sigV4: false);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-blobs");
        await using var peerScope = peer;
        var sides = new Sides(berth, peer, missing, Group, pushLimit: context.PushLimit);
        await MeasureAsync(context, table, sides);
        await FirstPullWorkload.MeasureAsync(context, table, sides);
        await ConcurrentPushWorkload.MeasureAsync(context, table, sides);
    }

    /// <summary>The four transfers against two started registries (Berth's repository is created here).</summary>
    public static async Task MeasureAsync(BenchContext context, ResultTable table, Sides sides)
    {
        var options = context.Options;
        await Peers.CreateRepositoryAsync(sides.Berth.Ecr(context), Repository);
        var data = new byte[options.BlobSize];
        Random.Shared.NextBytes(data);
        var mib = options.BlobSize / (double)BenchOptions.MiB;
        var sizeLabel = $"{options.BlobSize / BenchOptions.MiB} MiB";
        string lastDigest = string.Empty;

        string Stamp(int workload, int run)
        {
            BitConverter.TryWriteBytes(data.AsSpan(0, 8), ((long)workload << 32) | (uint)run);
            BitConverter.TryWriteBytes(data.AsSpan(8, 8), Stopwatch.GetTimestamp());
            return lastDigest = RegistryClient.DigestOf(data);
        }

        RegistryClient Client(Server server) => new(context.Http, server.BaseUri);

        async Task<PairResult> PushAsync(int workload, Func<RegistryClient, string, Task> push)
        {
            var digests = new Dictionary<int, string>();
            string DigestFor(int run) => digests.TryGetValue(run, out var d) ? d : digests[run] = Stamp(workload, run);
            return await sides.AlternateAsync(options.TransferRuns, (server, run) =>
            {
                var digest = DigestFor(run);
                return TimeAsync(() => push(Client(server), digest), mib);
            });
        }

        var monolithic = await PushAsync(1, (client, digest) => client.PushMonolithicAsync(Repository, digest, new ReadOnlyMemoryContent(data)));
        table.Add(sides.Row($"blob push {sizeLabel}, monolithic (POST + PUT)", monolithic, Transfer.Push));

        var chunked = await PushAsync(2, (client, digest) => client.PushChunkedAsync(Repository, digest, data, options.ChunkSize));
        table.Add(sides.Row($"blob push {sizeLabel}, chunked ({options.ChunkSize / BenchOptions.MiB} MiB PATCHes)", chunked, Transfer.Push));

        var pullDigest = lastDigest;
        async Task PullWholeAsync(RegistryClient client) => Check(await client.PullAsync(Repository, pullDigest), options.BlobSize);
        var whole = await sides.AlternateAsync(options.TransferRuns, (server, _) => TimeAsync(() => PullWholeAsync(Client(server)), mib));
        table.Add(sides.Row($"blob pull {sizeLabel}, one GET", whole, Transfer.Pull));

        async Task PullRangesAsync(RegistryClient client)
        {
            for (long offset = 0; offset < options.BlobSize; offset += options.ChunkSize)
            {
                var last = Math.Min(offset + options.ChunkSize, options.BlobSize) - 1;
                Check(await client.PullAsync(Repository, pullDigest, offset, last), last - offset + 1);
            }
        }

        var ranged = await sides.AlternateAsync(options.TransferRuns, (server, _) => TimeAsync(() => PullRangesAsync(Client(server)), mib));
        table.Add(sides.Row($"blob pull {sizeLabel}, Range GETs of {options.ChunkSize / BenchOptions.MiB} MiB", ranged, Transfer.Pull));
    }

    /// <summary>Runs <paramref name="work"/> once and returns MiB/s.</summary>
    public static async Task<double> TimeAsync(Func<Task> work, double mib)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return mib / clock.Elapsed.TotalSeconds;
    }

    internal static Row Make(string workload, PairResult result, Server? peer, string? missing, string group = Group, string unit = "MiB/s", bool higherIsBetter = true, string peerName = "") =>
        new(group, workload, unit, higherIsBetter)
        {
            Berth = result.Berth,
            Peer = peer is null ? null : result.Peer,
            PeerName = peerName.Length > 0 ? peerName : PeerNames.Distribution,
            BerthPeakRssMiB = result.BerthPeakRssMiB,
            Note = missing ?? string.Empty,
        };

    private static void Check(long read, long expected)
    {
        if (read != expected)
        {
            throw new InvalidOperationException($"read {read} bytes, expected {expected}");
        }
    }
}
