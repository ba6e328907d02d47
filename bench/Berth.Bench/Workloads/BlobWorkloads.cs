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
        var options = context.Options;
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-blobs"), sigV4: false);
        await Peers.CreateRepositoryAsync(berth.Ecr(context), Repository);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-blobs");
        await using var peerScope = peer;
        var berthClient = new RegistryClient(context.Http, berth.BaseUri);
        var peerClient = peer is null ? null : new RegistryClient(context.Http, peer.BaseUri);

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

        async Task<PairResult> PushAsync(int workload, Func<RegistryClient, string, Task> push)
        {
            var digests = new Dictionary<int, string>();
            string DigestFor(int run) => digests.TryGetValue(run, out var d) ? d : digests[run] = Stamp(workload, run);
            return await Alternation.RunAsync(
                options.TransferRuns,
                berth.Process.Id,
                run =>
                {
                    var digest = DigestFor(run);
                    return TimeAsync(() => push(berthClient, digest), mib);
                },
                run =>
                {
                    if (peerClient is null)
                    {
                        return Task.FromResult(double.NaN);
                    }

                    var digest = DigestFor(run);
                    return TimeAsync(() => push(peerClient, digest), mib);
                });
        }

        var monolithic = await PushAsync(1, (client, digest) => client.PushMonolithicAsync(Repository, digest, new ReadOnlyMemoryContent(data)));
        table.Add(Make($"blob push {sizeLabel}, monolithic (POST + PUT)", monolithic, peer, missing));

        var chunked = await PushAsync(2, (client, digest) => client.PushChunkedAsync(Repository, digest, data, options.ChunkSize));
        table.Add(Make($"blob push {sizeLabel}, chunked ({options.ChunkSize / BenchOptions.MiB} MiB PATCHes)", chunked, peer, missing));

        var pullDigest = lastDigest;
        async Task PullWholeAsync(RegistryClient client) => Check(await client.PullAsync(Repository, pullDigest), options.BlobSize);
        var whole = await Alternation.RunAsync(
            options.TransferRuns,
            berth.Process.Id,
            _ => TimeAsync(() => PullWholeAsync(berthClient), mib),
            _ => peerClient is null ? Task.FromResult(double.NaN) : TimeAsync(() => PullWholeAsync(peerClient), mib));
        table.Add(Make($"blob pull {sizeLabel}, one GET", whole, peer, missing));

        async Task PullRangesAsync(RegistryClient client)
        {
            for (long offset = 0; offset < options.BlobSize; offset += options.ChunkSize)
            {
                var last = Math.Min(offset + options.ChunkSize, options.BlobSize) - 1;
                Check(await client.PullAsync(Repository, pullDigest, offset, last), last - offset + 1);
            }
        }

        var ranged = await Alternation.RunAsync(
            options.TransferRuns,
            berth.Process.Id,
            _ => TimeAsync(() => PullRangesAsync(berthClient), mib),
            _ => peerClient is null ? Task.FromResult(double.NaN) : TimeAsync(() => PullRangesAsync(peerClient), mib));
        table.Add(Make($"blob pull {sizeLabel}, Range GETs of {options.ChunkSize / BenchOptions.MiB} MiB", ranged, peer, missing));
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
