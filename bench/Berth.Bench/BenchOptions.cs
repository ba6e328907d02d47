using System.Globalization;

namespace Berth.Bench;

/// <summary>What to run and at what size; <c>--quick</c> shrinks every size for a smoke run of the whole harness.</summary>
public sealed record BenchOptions
{
    public const long MiB = 1024 * 1024;

    public static readonly string[] AllGroups = ["limits", "blobs", "skopeo", "manifests", "telemetry", "ecr", "scale", "s3", "startup"];

    /// <summary>Groups run only when named: they repeat what <c>all</c> measures once, for comparing two builds.</summary>
    public static readonly string[] OnDemandGroups = ["lifecycle"];

    public required IReadOnlyList<string> Groups { get; init; }

    public bool Quick { get; init; }

    /// <summary>Repetitions of each transfer (blob, skopeo, start-up); the median is reported.</summary>
    public int TransferRuns { get; init; } = 5;

    /// <summary>Repetitions of each load-generator run; the median is reported.</summary>
    public int LoadRuns { get; init; } = 3;

    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromSeconds(4);

    public long BlobSize { get; init; } = 256 * MiB;

    public long ChunkSize { get; init; } = 16 * MiB;

    /// <summary>Pushes in flight at once in the concurrent push workload, each of its own blob.</summary>
    public int ConcurrentPushes { get; init; } = 16;

    /// <summary>The size of each blob of the concurrent push workload.</summary>
    public long ConcurrentBlobSize { get; init; } = 64 * MiB;

    public long ImageSize { get; init; } = 256 * MiB;

    public long LargeBlobSize { get; init; } = 1024 * MiB;

    public IReadOnlyList<int> ScaleSizes { get; init; } = [1_000, 100_000, 200_000, 1_000_000];

    public int LifecycleSize { get; init; } = 100_000;

    /// <summary>Sequential DescribeImages calls per repository size.</summary>
    public int PageRequests { get; init; } = 200;

    public int ManifestConnections { get; init; } = 32;

    public int EcrConnections { get; init; } = 16;

    public long FsyncWriteSize { get; init; } = 1024 * MiB;

    public string? WorkDir { get; init; }

    public string? OutputPath { get; init; }

    public bool Keep { get; init; }

    /// <summary>A Native AOT build of Berth for the <c>startup</c> group; null to publish one into the work dir.</summary>
    public string? AotExecutable { get; init; }

    /// <summary>Another <c>berth</c> build the <c>lifecycle</c> group alternates with this one (an A/B comparison).</summary>
    public string? BaselineExecutable { get; init; }
    /// <summary>A second Native AOT binary the startup group measures beside <see cref="AotExecutable"/> (an A/B in one run).</summary>
    public string? AotBaseline { get; init; }

    public static string Usage =>
        """
        usage: berth-bench [all | limits | blobs | skopeo | manifests | telemetry | ecr | scale | s3 | startup ...] [options]

          all           every group (default)
          telemetry     manifest GET on Berth as shipped vs --metrics off and vs --access-log true (throughput, CPU per request)
          s3            Berth on PostgreSQL + S3 vs docker-registry's s3 driver, on a throwaway moto_server and PostgreSQL 15
          startup       start-up to the first answered GET /v2/ and idle RSS: Berth's Native AOT and JIT builds vs docker-registry
          lifecycle     (only when named) the lifecycle preview, result paging and `lifecycle run` of --lifecycle-size
                        images, --runs times; with --baseline FILE alternated with another published berth build
          --quick       small sizes and short runs: a smoke test of the harness, not a measurement
          --runs N      repetitions of each transfer workload (default 5; quick 2)
          --load-runs N repetitions of each load-generator workload (default 3; quick 1)
          --duration S  seconds of each load-generator run (default 4; quick 2)
          --scale-sizes 1000,100000,...  repository sizes for DescribeImages pages
          --work-dir D  where data dirs and images go (default: a fresh dir under the system temp dir)
          --out FILE    markdown results (default bench/results/latest.md)
          --keep        keep the work dir afterwards
          --aot FILE    the Native AOT berth binary for startup (default: publish one, several minutes)
          --lifecycle-size N  images for the lifecycle preview (default 100000; quick 10000)
          --baseline FILE     the berth executable of the build to compare with (lifecycle group)
          --aot-baseline FILE  another Native AOT berth binary started in the same rotation (before/after a change)
        """;

    /// <summary>Parses the command line; null (after printing why) when it is not understood.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var groups = new List<string>();
        var quick = args.Contains("--quick");
        var options = quick ? QuickDefaults() : new BenchOptions { Groups = [] };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "--quick":
                        break;
                    case "--runs":
                        options = options with { TransferRuns = PositiveInt(Next()) };
                        break;
                    case "--load-runs":
                        options = options with { LoadRuns = PositiveInt(Next()) };
                        break;
                    case "--duration":
                        options = options with { LoadDuration = TimeSpan.FromSeconds(PositiveInt(Next())) };
                        break;
                    case "--scale-sizes":
                        options = options with { ScaleSizes = Next().Split(',').Select(PositiveInt).ToArray() };
                        break;
                    case "--work-dir":
                        options = options with { WorkDir = Next() };
                        break;
                    case "--out":
                        options = options with { OutputPath = Next() };
                        break;
                    case "--keep":
                        options = options with { Keep = true };
                        break;
                    case "--lifecycle-size":
                        options = options with { LifecycleSize = PositiveInt(Next()) };
                        break;
                    case "--baseline":
                        options = options with { BaselineExecutable = Path.GetFullPath(Next()) };
                        break;
                    case "--aot":
                        options = options with { AotExecutable = Path.GetFullPath(Next()) };
                        break;
                    case "--aot-baseline":
                        options = options with { AotBaseline = Path.GetFullPath(Next()) };
                        break;
                    case "-h" or "--help":
                        error.WriteLine(Usage);
                        return null;
                    case "all":
                        groups.AddRange(AllGroups);
                        break;
                    default:
                        if (!AllGroups.Contains(arg) && !OnDemandGroups.Contains(arg))
                        {
                            throw new FormatException($"unknown argument '{arg}'");
                        }

                        groups.Add(arg);
                        break;
                }
            }
            catch (FormatException ex)
            {
                error.WriteLine($"berth-bench: {ex.Message}");
                error.WriteLine(Usage);
                return null;
            }
        }

        var selected = groups.Count == 0 ? AllGroups : AllGroups.Concat(OnDemandGroups).Where(groups.Contains).ToArray();
        return options with { Groups = selected, Quick = quick };
    }

    private static BenchOptions QuickDefaults() => new()
    {
        Groups = [],
        TransferRuns = 2,
        LoadRuns = 1,
        LoadDuration = TimeSpan.FromSeconds(2),
        BlobSize = 32 * MiB,
        ConcurrentBlobSize = 4 * MiB,
        ImageSize = 32 * MiB,
        LargeBlobSize = 256 * MiB,
        ScaleSizes = [1_000, 10_000],
        LifecycleSize = 10_000,
        PageRequests = 40,
        FsyncWriteSize = 256 * MiB,
    };

    private static int PositiveInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive integer");
}
