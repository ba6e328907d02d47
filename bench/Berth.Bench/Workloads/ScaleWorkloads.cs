using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Berth.Bench.Http;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Seeding;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// Berth alone (docker-registry beside it where it has an equivalent): start-up time, memory while pushing a
/// large blob, DescribeImages page latency as the repository grows, and the lifecycle policy preview.
/// </summary>
public static class ScaleWorkloads
{
    private const string Group = "Berth alone (scale, memory, start-up)";
    private const string Repository = "bench/scale";
    private const int PageSize = 100;

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        await StartupAsync(context, table);
        await LargeBlobAsync(context, table);
        await PagesAsync(context, table);
    }

    /// <summary>From process start to the first answered HTTP request, on a fresh data dir each time.</summary>
    private static async Task StartupAsync(BenchContext context, ResultTable table)
    {
        var missing = Tools.Missing(context.Tools.DockerRegistry, "docker-registry", "apt-get install docker-registry");
        var idle = 0.0;
        var result = await Alternation.RunAsync(
            context.Options.TransferRuns,
            berthPid: null,
            async _ =>
            {
                await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-startup"), sigV4: true);
                idle = Math.Max(idle, (berth.Process.ReadStatusKiB("VmRSS") ?? 0) / 1024.0);
                return berth.StartupTime.TotalMilliseconds;
            },
            async _ =>
            {
                if (missing is not null)
                {
                    return double.NaN;
                }

                await using var registry = await DistributionServer.StartAsync(context, context.NewDir("registry-startup"));
                return registry.StartupTime.TotalMilliseconds;
            });
        table.Add(new Row(Group, "start-up to first answered request (fresh data dir)", "ms", false)
        {
            Berth = result.Berth,
            PeerName = PeerNames.Distribution,
            Peer = missing is null ? result.Peer : null,
            BerthPeakRssMiB = idle,
            Note = missing ?? "Berth: first start creates the database, migrations and a key; RSS is just after start",
        });
    }

    /// <summary>Peak RSS of each server while it receives one large blob as a monolithic PUT.</summary>
    private static async Task LargeBlobAsync(BenchContext context, ResultTable table)
    {
        var size = context.Options.LargeBlobSize;
        var digest = GeneratedContent.Digest(size, seed: 7);
        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-large"), sigV4: false);
        await Peers.CreateRepositoryAsync(berth.Ecr(context), Repository);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-large");
        await using var peerScope = peer;

        async Task<(double PeakMiB, double MiBPerSecond)> PushAsync(Server server)
        {
            var client = new RegistryClient(context.Http, server.BaseUri);
            await using var sampler = RssSampler.Start(server.Process.Id);
            var clock = Stopwatch.StartNew();
            await client.PushMonolithicAsync(Repository, digest, new GeneratedContent(size, seed: 7));
            var rate = size / (double)BenchOptions.MiB / clock.Elapsed.TotalSeconds;
            return (await sampler.StopAsync(), rate);
        }

        var berthPush = await PushAsync(berth);
        (double PeakMiB, double MiBPerSecond)? peerPush = peer is null ? null : await PushAsync(peer);
        table.Add(new Row(Group, $"peak RSS while pushing a {size / BenchOptions.MiB} MiB blob (monolithic PUT)", "MiB", false)
        {
            Berth = berthPush.PeakMiB,
            PeerName = PeerNames.Distribution,
            Peer = peerPush?.PeakMiB,
            BerthPeakRssMiB = berthPush.PeakMiB,
            Note = missing ?? string.Create(CultureInfo.InvariantCulture,
                $"push rate Berth {ResultTable.Format(berthPush.MiBPerSecond)} MiB/s, peer {ResultTable.Format(peerPush?.MiBPerSecond)} MiB/s (one run)"),
        });
    }

    /// <summary>
    /// DescribeImages pages of 100, each starting at a random point of the keyset (a nextToken naming a seeded
    /// digest), one request at a time: the latency of one page as the repository grows.
    /// </summary>
    private static async Task PagesAsync(BenchContext context, ResultTable table)
    {
        var options = context.Options;
        bool? lifecycleSupported = null;
        var lifecycleDone = false;
        foreach (var size in options.ScaleSizes)
        {
            var dataDir = context.NewDir($"berth-scale-{size}");
            BenchContext.Log($"seeding {size:N0} images via SQL into {dataDir}");
            var seeded = await ImageSeeder.SeedAsync(dataDir, Repository, size);
            table.Add(new Row(Group, $"seed {size:N0} images via bulk SQL (harness set-up, not Berth)", "s", false)
            {
                Berth = seeded.Elapsed.TotalSeconds,
                Note = "the metadata store's schema, raw INSERTs",
            });

            await using (var berth = await BerthServer.StartAsync(context, dataDir, sigV4: true))
            {
                var ecr = berth.Ecr(context);
                var budget = TimeSpan.FromSeconds(options.Quick ? 5 : 15);
                var (median, p95, calls, rss) = await PageLatencyAsync(berth, ecr, seeded, options.PageRequests, budget);
                table.Add(new Row(Group, $"DescribeImages page of {PageSize}, repository of {size:N0} images", "ms", false)
                {
                    Berth = median,
                    BerthPeakRssMiB = rss,
                    Note = string.Create(CultureInfo.InvariantCulture,
                        $"median of {calls} sequential calls at random keyset points (at most {options.PageRequests} or {budget.TotalSeconds:0} s); p95 {ResultTable.Format(p95)} ms"),
                });

                lifecycleSupported ??= await LifecyclePreview.IsSupportedAsync(ecr, Repository);
                if (lifecycleSupported == true && size == options.LifecycleSize)
                {
                    table.Add(await LifecyclePreview.RunAsync(berth, ecr, Repository, size, Group));
                    lifecycleDone = true;
                }
            }

            Directory.Delete(dataDir, recursive: true);
        }

        if (lifecycleSupported == false)
        {
            table.Add(new Row(Group, $"lifecycle policy preview, {options.LifecycleSize:N0} images", "s", false)
            {
                Note = "not available yet: Berth answers UnsupportedOperationException for the lifecycle operations (branch lifecycle not merged)",
            });
        }
        else if (!lifecycleDone)
        {
            var dataDir = context.NewDir($"berth-lifecycle-{options.LifecycleSize}");
            await ImageSeeder.SeedAsync(dataDir, Repository, options.LifecycleSize);
            await using var berth = await BerthServer.StartAsync(context, dataDir, sigV4: true);
            table.Add(await LifecyclePreview.RunAsync(berth, berth.Ecr(context), Repository, options.LifecycleSize, Group));
        }
    }

    private static async Task<(double Median, double P95, int Calls, double PeakRssMiB)> PageLatencyAsync(
        BerthServer berth, EcrClient ecr, SeededRepository seeded, int requests, TimeSpan budget)
    {
        var random = new Random(seeded.Count);
        string Body()
        {
            var after = seeded.PageStarts[random.Next(seeded.PageStarts.Count)];
            return $"{{\"repositoryName\":\"{seeded.Name}\",\"maxResults\":{PageSize},\"nextToken\":{Json.Str(Berth.Ecr.PaginationToken.Encode("DescribeImages", after))}}}";
        }

        // Warm-up (JIT, page cache); only one call when calls are slow, so a page that scales with the
        // repository cannot stretch the run past its budget.
        var warm = Stopwatch.StartNew();
        await CallAsync(ecr, Body());
        for (var i = 0; i < 4 && warm.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            await CallAsync(ecr, Body());
        }

        var latencies = new List<double>(requests);
        await using var sampler = RssSampler.Start(berth.Process.Id);
        var measuring = Stopwatch.StartNew();
        for (var i = 0; i < requests && (i == 0 || measuring.Elapsed < budget); i++)
        {
            var body = Body();
            var signed = ecr.Sign("DescribeImages", body);
            var clock = Stopwatch.StartNew();
            var (status, text) = await ecr.SendAsync(signed, body);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Check(status, text);
        }

        var sorted = latencies.Order().ToArray();
        return (Samples.Median(latencies), sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.95))], latencies.Count, await sampler.StopAsync());
    }

    private static async Task CallAsync(EcrClient ecr, string body)
    {
        var (status, text) = await ecr.SendAsync(ecr.Sign("DescribeImages", body), body);
        Check(status, text);
    }

    private static void Check(int status, string text)
    {
        using var answer = JsonDocument.Parse(text);
        if (status != 200 || answer.RootElement.GetProperty("imageDetails").GetArrayLength() != PageSize)
        {
            throw new InvalidOperationException($"DescribeImages answered {status}: {text[..Math.Min(300, text.Length)]}");
        }
    }
}
