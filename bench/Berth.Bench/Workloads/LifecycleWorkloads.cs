using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Berth.Bench.Http;
using Berth.Bench.Measure;
using Berth.Bench.Report;
using Berth.Bench.Seeding;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// The lifecycle preview of one large repository repeated <c>--runs</c> times, then paging through its results and
/// `berth lifecycle run` expiring the same images; with <c>--baseline</c>, each step alternates between this build and
/// another one on the same seeded data, so both see the same machine (the scale group measures the preview once).
/// </summary>
public static class LifecycleWorkloads
{
    private const string Group = "lifecycle (A/B)";
    private const string Repository = "bench/lifecycle";
    private const int PageSize = 100;

    private sealed record Side(string Name, string Executable)
    {
        /// <summary>This build's own copy of the seeded data: a build may migrate the schema, which the other must not see.</summary>
        public string DataDir { get; set; } = string.Empty;

        public List<double> Previews { get; } = [];

        public List<double> Pages { get; } = [];

        public List<double> Walks { get; } = [];

        public double PeakRssMiB { get; set; }

        public int Results { get; set; }
    }

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        var options = context.Options;
        var size = options.LifecycleSize;
        List<Side> sides = [new("this build", context.BerthExecutable)];
        if (options.BaselineExecutable is { } baseline)
        {
            sides.Add(new Side("baseline", baseline));
        }

        var dataDir = context.NewDir($"berth-lifecycle-{size}");
        BenchContext.Log($"seeding {size:N0} images via SQL into {dataDir}");
        await ImageSeeder.SeedAsync(dataDir, Repository, size);
        for (var s = 0; s < sides.Count; s++)
        {
            sides[s].DataDir = s == 0 ? dataDir : CopyOf(dataDir, context.NewDir($"berth-lifecycle-{size}-{s}"));
        }

        for (var run = 0; run < options.TransferRuns; run++)
        {
            // ABBA order: drift of the machine lands on both builds.
            foreach (var side in run % 2 == 0 ? sides : Enumerable.Reverse(sides))
            {
                await using var berth = await BerthServer.StartAsync(context, side.DataDir, sigV4: false, executable: side.Executable);
                var ecr = berth.Ecr(context);
                var (seconds, rss) = await LifecyclePreview.MeasureAsync(berth, ecr, Repository);
                side.Previews.Add(seconds);
                side.PeakRssMiB = Math.Max(side.PeakRssMiB, rss);
                var walk = Stopwatch.StartNew();
                side.Results = await WalkPagesAsync(ecr, side.Pages);
                side.Walks.Add(walk.Elapsed.TotalSeconds);
                BenchContext.Log(string.Create(CultureInfo.InvariantCulture,
                    $"lifecycle run {run + 1}, {side.Name}: preview {seconds:F2} s, peak RSS {rss:F0} MiB, {side.Results:N0} results paged in {walk.Elapsed.TotalSeconds:F2} s"));
            }
        }

        foreach (var side in sides)
        {
            table.Add(new Row(Group, $"lifecycle policy preview, {size:N0} images ({side.Name})", "s", false)
            {
                Berth = Samples.Median(side.Previews),
                BerthPeakRssMiB = side.PeakRssMiB,
                Note = $"start to COMPLETE, polled every 50 ms; median of {side.Previews.Count}: {Join(side.Previews)}",
            });
            table.Add(new Row(Group, $"GetLifecyclePolicyPreview page of {PageSize} ({side.Name})", "ms", false)
            {
                Berth = Samples.Median(side.Pages),
                Note = string.Create(CultureInfo.InvariantCulture,
                    $"every page of {side.Results:N0} results, sequentially; whole walk median {Samples.Median(side.Walks):F2} s"),
            });
        }

        // Destructive, so each build gets its own copy of the data, previews included.
        foreach (var side in sides)
        {
            var copy = CopyOf(side.DataDir, context.NewDir($"berth-lifecycle-run-{sides.IndexOf(side)}"));

            var clock = Stopwatch.StartNew();
            var (exit, output) = await Processes.ChildProcess.RunAsync(
                side.Executable, ["lifecycle", "run", "--data-dir", copy], TimeSpan.FromMinutes(30), context.WorkDir);
            var seconds = clock.Elapsed.TotalSeconds;
            BenchContext.Log($"lifecycle run, {side.Name}: {seconds:F1} s, exit {exit}: {Peers.FirstLine(output)}");
            table.Add(new Row(Group, $"berth lifecycle run expiring {size - 1000:N0} of {size:N0} images ({side.Name})", "s", false)
            {
                Berth = exit == 0 ? seconds : null,
                Note = exit == 0 ? Peers.FirstLine(output) : "failed: " + Peers.FirstLine(output),
            });
            Directory.Delete(copy, recursive: true);
        }

        if (!options.Keep)
        {
            foreach (var side in sides)
            {
                Directory.Delete(side.DataDir, recursive: true);
            }
        }
    }

    /// <summary>Copies the data dir's files (the database; the seeder writes no blobs) into <paramref name="copy"/>.</summary>
    private static string CopyOf(string dataDir, string copy)
    {
        foreach (var file in Directory.GetFiles(dataDir))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>Pages through the finished preview's results; each page's latency goes to <paramref name="latencies"/>.</summary>
    private static async Task<int> WalkPagesAsync(EcrClient ecr, List<double> latencies)
    {
        var results = 0;
        string? token = null;
        do
        {
            var body = $"{{\"repositoryName\":{Json.Str(Repository)},\"maxResults\":{PageSize}{(token is null ? string.Empty : ",\"nextToken\":" + Json.Str(token))}}}";
            var clock = Stopwatch.StartNew();
            var page = await ecr.CallAsync("GetLifecyclePolicyPreview", body);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            results += page.GetProperty("previewResults").GetArrayLength();
            token = page.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return results;
    }

    private static string Join(List<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));
}
