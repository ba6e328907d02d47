using System.Globalization;
using System.Net;
using Berth.Bench.Http;
using Berth.Bench.Load;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// Manifest GET by tag and by digest, and tags/list, under 32 keep-alive connections from wrk. Each target is
/// checked once (status and bytes) before it is loaded, and a run with any non-2xx answer is reported as failed.
/// </summary>
public static class ManifestWorkloads
{
    private const string Group = "manifests (/v2/)";
    /// <summary>The repository every manifest workload pushes its image into (Berth's must be created first).</summary>
    internal const string Repository = "bench/manifests";
    private const int TagCount = 64;

    // The first targets are manifest GETs, whose tail latency is reported beside their throughput.
    private const int ManifestTargets = 2;

    private static readonly string[] Tags = Enumerable.Range(0, TagCount).Select(i => i.ToString("'t'000", CultureInfo.InvariantCulture)).ToArray();

    private static readonly Dictionary<string, string> Accept = new() { ["Accept"] = SmallImage.MediaType };

    private static readonly (string Path, Dictionary<string, string>? Headers, Func<SmallImage, byte[], bool> Valid)[] Targets =
    [
        ($"/v2/{Repository}/manifests/t000", Accept, (image, body) => body.AsSpan().SequenceEqual(image.Manifest)),
        ($"/v2/{Repository}/manifests/{{digest}}", Accept, (image, body) => body.AsSpan().SequenceEqual(image.Manifest)),
        ($"/v2/{Repository}/tags/list", null, (_, body) => System.Text.Encoding.UTF8.GetString(body).Contains("\"t063\"", StringComparison.Ordinal)),
    ];

    private static string[] Workloads(int connections) =>
        [$"manifest GET by tag, {connections} connections", $"manifest GET by digest, {connections} connections", $"tags/list ({TagCount} tags), {connections} connections"];

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        if (ReportedMissing(context, table, Group))
        {
            return;
        }

        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-manifests"), sigV4: false);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-manifests");
        await using var peerScope = peer;
        await MeasureAsync(context, table, new Sides(berth, peer, missing, Group));
    }

    /// <summary>Without wrk, rows that say it is missing (true); else nothing (false).</summary>
    public static bool ReportedMissing(BenchContext context, ResultTable table, string group)
    {
        if (Tools.Missing(context.Tools.Wrk, "wrk", "apt-get install wrk") is not { } noWrk)
        {
            return false;
        }

        foreach (var workload in Workloads(context.Options.ManifestConnections))
        {
            table.Add(new Row(group, workload, "req/s", true) { Note = noWrk });
        }

        return true;
    }

    /// <summary>Pushes one image under 64 tags to both sides, then loads the three targets (needs wrk).</summary>
    public static async Task MeasureAsync(BenchContext context, ResultTable table, Sides sides)
    {
        var options = context.Options;
        var connections = options.ManifestConnections;
        var workloads = Workloads(connections);
        await Peers.CreateRepositoryAsync(sides.Berth.Ecr(context), Repository);
        var images = new Dictionary<Server, SmallImage>();
        foreach (var server in new[] { sides.Berth, sides.Peer }.OfType<Server>())
        {
            images[server] = await PushImageAsync(context, server);
        }

        // The machine's own tail: a Kestrel answering "ok" from memory, loaded the same way right after each counted
        // Berth run of the first target, so both see the same neighbours.
        await using var floor = await TrivialKestrel.StartAsync(1);
        var floorRuns = new List<WrkResult>();
        for (var w = 0; w < Targets.Length; w++)
        {
            var (path, headers, valid) = Targets[w];
            var tails = new Dictionary<Server, List<double>>();
            var first = w == 0;
            var result = await sides.AlternateAsync(
                options.LoadRuns,
                async (server, run) =>
                {
                    var measured = await LoadAsync(context, server, images[server], path, headers, valid, connections);
                    if (run >= 0 && measured.P99LatencyMs is { } p99)
                    {
                        (tails.TryGetValue(server, out var list) ? list : tails[server] = []).Add(p99);
                    }

                    if (first && run >= 0 && server == sides.Berth)
                    {
                        var floorRun = await Wrk.GetAsync(context, floor.BaseUri, connections);
                        Checked(floorRun, floor.BaseUri.ToString());
                        floorRuns.Add(floorRun);
                    }

                    return measured.RequestsPerSecond;
                },
                warmUp: true);
            table.Add(sides.Row(workloads[w], result, Transfer.Requests, "req/s"));
            if (w < ManifestTargets)
            {
                table.Add(TailRow(sides, workloads[w] + ", p99 latency", result, tails));
            }

            if (first)
            {
                table.Add(FloorRow(sides.Group, connections, floorRuns));
            }
        }
    }

    /// <summary>
    /// The p99 latency of a trivial Kestrel under the same load: no registry can answer with a shorter tail on this
    /// machine at this moment, so a Berth p99 near it is the machine's, not Berth's.
    /// </summary>
    private static Row FloorRow(string group, int connections, List<WrkResult> runs)
    {
        var p99 = runs.Select(r => r.P99LatencyMs ?? double.NaN).ToList();
        var rate = runs.Select(r => r.RequestsPerSecond).ToList();
        return new Row(group, $"floor: trivial Kestrel \"ok\", {connections} connections, p99 latency", "ms", false)
        {
            Berth = runs.Count == 0 ? null : Samples.Median(p99),
            Note = runs.Count == 0 ? "not measured" : $"in-process Kestrel run after each Berth run; {Samples.Median(rate):F0} req/s",
        };
    }

    /// <summary>
    /// The median over runs of each side's 99th-percentile latency: the tail a client sees while the server is saturated
    /// (wrk keeps every connection busy, so the tail includes queueing behind the other 31).
    /// </summary>
    private static Row TailRow(Sides sides, string workload, PairResult load, Dictionary<Server, List<double>> tails)
    {
        double MedianOf(Server? server) => server is not null && tails.TryGetValue(server, out var values) ? Samples.Median(values) : double.NaN;
        var tail = new PairResult(MedianOf(sides.Berth), MedianOf(sides.Peer), load.BerthPeakRssMiB);
        return BlobWorkloads.Make(workload, tail, sides.Peer, sides.Missing, sides.Group, "ms", higherIsBetter: false, peerName: sides.PeerName);
    }

    /// <summary>The small image under 64 tags (t000 … t063) in the manifest workloads' repository.</summary>
    public static Task<SmallImage> PushImageAsync(BenchContext context, Server server) =>
        SmallImage.PushAsync(new RegistryClient(context.Http, server.BaseUri), Repository, Tags);

    /// <summary>Loads manifest GET by tag on <paramref name="server"/> (checked once first): the request the two-node workload spreads.</summary>
    public static async Task<double> LoadManifestByTagAsync(BenchContext context, Server server, SmallImage image, int connections, int? threads = null) =>
        (await MeasureManifestByTagAsync(context, server, image, connections, threads)).RequestsPerSecond;

    /// <summary>As <see cref="LoadManifestByTagAsync"/>, with everything wrk reported (requests, latency percentiles).</summary>
    public static Task<WrkResult> MeasureManifestByTagAsync(BenchContext context, Server server, SmallImage image, int connections, int? threads = null)
    {
        var (path, headers, valid) = Targets[0];
        return LoadAsync(context, server, image, path, headers, valid, connections, threads);
    }

    /// <summary>One checked wrk run against <paramref name="server"/>: an error when any answer was not a success.</summary>
    private static async Task<WrkResult> LoadAsync(
        BenchContext context, Server server, SmallImage image, string pathTemplate, Dictionary<string, string>? headers, Func<SmallImage, byte[], bool> valid, int connections,
        int? threads = null)
    {
        var path = pathTemplate.Replace("{digest}", image.Digest, StringComparison.Ordinal);
        var (status, body) = await new RegistryClient(context.Http, server.BaseUri).GetAsync(path, headers?.GetValueOrDefault("Accept"));
        if (status != HttpStatusCode.OK || !valid(image, body))
        {
            throw new InvalidOperationException($"GET {server.BaseUri}{path.TrimStart('/')} answered {(int)status} with an unexpected body");
        }

        var result = await Wrk.GetAsync(context, new Uri(server.BaseUri, path), connections, headers, threads);
        Checked(result, server.BaseUri + path.TrimStart('/'));
        return result;
    }

    /// <summary>The run's requests per second, or an error when any answer was not a success.</summary>
    public static double Checked(WrkResult result, string target) =>
        result.Clean
            ? result.RequestsPerSecond
            : throw new InvalidOperationException(
                $"wrk against {target}: {result.Non2xx} non-2xx answers, {result.SocketErrors} socket errors in {result.Requests} requests");
}
