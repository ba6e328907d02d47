using System.Diagnostics;
using System.Globalization;
using Berth.Bench.Images;
using Berth.Bench.Measure;
using Berth.Bench.Processes;
using Berth.Bench.Report;
using Berth.Bench.Servers;

namespace Berth.Bench.Workloads;

/// <summary>
/// skopeo copy of a 4-layer image, OCI layout on disk to the registry and back. Every push run copies a freshly
/// generated image, so skopeo's blob-info cache never lets it skip or cross-mount a layer; pulls copy the last
/// pushed image into a fresh layout.
/// </summary>
public static class SkopeoWorkloads
{
    private const string Group = "skopeo (/v2/)";
    private const string Repository = "bench/skopeo";
    private const int Layers = 4;

    public static async Task RunAsync(BenchContext context, ResultTable table)
    {
        if (ReportedMissing(context, table, Group))
        {
            return;
        }

        await using var berth = await BerthServer.StartAsync(context, context.NewDir("berth-skopeo"), sigV4: false);
        var (peer, missing) = await Peers.StartDistributionAsync(context, "registry-skopeo");
        await using var peerScope = peer;
        await MeasureAsync(context, table, new Sides(berth, peer, missing, Group));
    }

    /// <summary>Push and pull against two started registries (Berth's repository is created here); needs skopeo.</summary>
    public static async Task MeasureAsync(BenchContext context, ResultTable table, Sides sides)
    {
        var options = context.Options;
        var sizeLabel = $"{Layers}-layer image, {options.ImageSize / BenchOptions.MiB} MiB";
        var isolation = IsolatedConfig(context);
        await Peers.CreateRepositoryAsync(sides.Berth.Ecr(context), Repository);

        var images = context.NewDir("images");
        var generated = new Dictionary<int, (string Dir, long Size)>();
        async Task<(string Dir, long Size)> ImageFor(int run)
        {
            if (!generated.TryGetValue(run, out var image))
            {
                foreach (var old in generated.Values)
                {
                    Directory.Delete(old.Dir, recursive: true);
                }

                generated.Clear();
                var dir = Path.Combine(images, $"run-{run}");
                image = generated[run] = (dir, await OciLayoutWriter.WriteAsync(dir, Layers, options.ImageSize));
            }

            return image;
        }

        async Task<double> PushAsync(Server server, int run)
        {
            var (dir, size) = await ImageFor(run);
            return await CopyAsync(context, isolation, size,
                "--dest-tls-verify=false", $"oci:{dir}:{OciLayoutWriter.Tag}", $"docker://{server.BaseUri.Authority}/{Repository}:run-{run}");
        }

        var push = await sides.AlternateAsync(options.TransferRuns, PushAsync);
        table.Add(sides.Row($"skopeo push {sizeLabel}", push, Transfer.Push));

        var (imageDir, imageSize) = await ImageFor(options.TransferRuns - 1);
        var pulls = context.NewDir("pulls");
        async Task<double> IntoLayoutAsync(string tlsFlag, string source)
        {
            var target = Path.Combine(pulls, Guid.NewGuid().ToString("N"));
            try
            {
                return await CopyAsync(context, isolation, imageSize, tlsFlag, source, $"oci:{target}:{OciLayoutWriter.Tag}");
            }
            finally
            {
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
            }
        }

        // skopeo's floor: the same image copied from the OCI layout on disk, so no registry is in the path. It runs
        // right after each Berth pull, between the two sides, and no registry can make a pull faster than it.
        var floor = new List<double>();
        async Task<double> PullAsync(Server server, int run)
        {
            var rate = await IntoLayoutAsync("--src-tls-verify=false", $"docker://{server.BaseUri.Authority}/{Repository}:run-{options.TransferRuns - 1}");
            if (server == sides.Berth)
            {
                floor.Add(await IntoLayoutAsync("--src-tls-verify=false", $"oci:{imageDir}:{OciLayoutWriter.Tag}"));
            }

            return rate;
        }

        var pull = await sides.AlternateAsync(options.TransferRuns, PullAsync);
        table.Add(sides.Row($"skopeo pull {sizeLabel}", pull, Transfer.Pull));
        table.Add(FloorRow(sides, sizeLabel, pull, Samples.Median(floor)));
    }

    /// <summary>The floor row: skopeo without a registry, and each side's pull as a share of it.</summary>
    private static Row FloorRow(Sides sides, string sizeLabel, PairResult pull, double floor) =>
        new(sides.Group, $"floor: skopeo copy {sizeLabel}, OCI layout to OCI layout (no registry)", "MiB/s", true)
        {
            Berth = floor,
            Note = string.Create(CultureInfo.InvariantCulture,
                $"Berth's pull at {pull.Berth / floor:P0} of it, {sides.PeerName}'s at {(sides.Peer is null ? "-" : (pull.Peer / floor).ToString("P0", CultureInfo.InvariantCulture))}"),
        };

    /// <summary>Without skopeo, rows that say it is missing (true); else nothing (false).</summary>
    public static bool ReportedMissing(BenchContext context, ResultTable table, string group)
    {
        if (Tools.Missing(context.Tools.Skopeo, "skopeo", "apt-get install skopeo") is not { } noSkopeo)
        {
            return false;
        }

        var sizeLabel = $"{Layers}-layer image, {context.Options.ImageSize / BenchOptions.MiB} MiB";
        table.Add(new Row(group, $"skopeo push {sizeLabel}", "MiB/s", true) { Note = noSkopeo });
        table.Add(new Row(group, $"skopeo pull {sizeLabel}", "MiB/s", true) { Note = noSkopeo });
        return true;
    }

    /// <summary>A policy that accepts anything, and empty registries.conf and auth files, so the machine's own settings play no part.</summary>
    private static Dictionary<string, string> IsolatedConfig(BenchContext context)
    {
        var dir = context.NewDir("skopeo-config");
        var policy = Path.Combine(dir, "policy.json");
        File.WriteAllText(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        var registries = Path.Combine(dir, "registries.conf");
        File.WriteAllText(registries, string.Empty);
        var auth = Path.Combine(dir, "auth.json");
        File.WriteAllText(auth, "{}");
        return new Dictionary<string, string>
        {
            ["POLICY"] = policy,
            ["CONTAINERS_REGISTRIES_CONF"] = registries,
            ["REGISTRY_AUTH_FILE"] = auth,
        };
    }

    private static async Task<double> CopyAsync(BenchContext context, Dictionary<string, string> isolation, long bytes, string tlsFlag, string source, string destination)
    {
        var environment = isolation.Where(e => e.Key != "POLICY").ToDictionary();
        var clock = Stopwatch.StartNew();
        await using var child = ChildProcess.Start(
            context.Tools.Skopeo!,
            ["--policy", isolation["POLICY"], "copy", "--quiet", "--retry-times", "0", tlsFlag, source, destination],
            context.WorkDir,
            environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await child.Exited.WaitAsync(timeout.Token);
        var elapsed = clock.Elapsed;
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo copy {source} {destination} exited {child.ExitCode}:\n{child.Tail()}");
        }

        return bytes / (double)BenchOptions.MiB / elapsed.TotalSeconds;
    }
}
