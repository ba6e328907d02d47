using System.Globalization;
using Berth.Bench.Processes;
using Berth.Bench.Report;

namespace Berth.Bench;

/// <summary>The machine and the programs under test: where the repository is, the Release build of Berth, versions.</summary>
public static class Machine
{
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary><c>dotnet publish -c Release</c> of src/Berth into the work dir; returns the executable.</summary>
    public static async Task<string> PublishBerthAsync(BenchContext context)
    {
        var output = Path.Combine(context.WorkDir, "berth-release");
        BenchContext.Log($"publishing Berth (Release) to {output}");
        var (exit, log) = await ChildProcess.RunAsync(
            "dotnet",
            ["publish", Path.Combine(context.RepoRoot, "src", "Berth", "Berth.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(10),
            context.RepoRoot);
        if (exit != 0)
        {
            throw new InvalidOperationException("dotnet publish failed:\n" + log);
        }

        var executable = Path.Combine(output, "berth");
        return File.Exists(executable) ? executable : throw new FileNotFoundException("publish produced no berth executable", executable);
    }

    /// <summary>
    /// Publishes Berth as a Native AOT binary into the work dir (the documented install command; needs clang and
    /// zlib1g-dev, and takes minutes on two cores).
    /// </summary>
    public static async Task<string> PublishBerthAotAsync(BenchContext context)
    {
        var output = Path.Combine(context.WorkDir, "berth-aot");
        BenchContext.Log($"publishing Berth (Release, Native AOT) to {output}");
        var (exit, log) = await ChildProcess.RunAsync(
            "dotnet",
            ["publish", Path.Combine(context.RepoRoot, "src", "Berth", "Berth.csproj"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(30),
            context.RepoRoot);
        if (exit != 0)
        {
            throw new InvalidOperationException("dotnet publish -p:PublishAot=true failed:\n" + log);
        }

        var executable = Path.Combine(output, "berth");
        return File.Exists(executable) ? executable : throw new FileNotFoundException("the AOT publish produced no berth executable", executable);
    }

    /// <summary>Puts the machine, the versions and the Berth commit under the table.</summary>
    public static async Task DescribeAsync(BenchContext context, ResultTable table)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = ProcStatus.ReadKiB(Environment.ProcessId, "VmRSS") is not null && File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim()
            : "?";
        table.AddFact($"machine: {Environment.ProcessorCount} cores ({cpu ?? "?"}), {memory} memory, {Environment.OSVersion}, .NET {Environment.Version}");
        var commit = await TryRunAsync("git", ["-C", context.RepoRoot, "rev-parse", "--short", "HEAD"]);
        var dirty = await TryRunAsync("git", ["-C", context.RepoRoot, "status", "--porcelain", "--untracked-files=no"]);
        table.AddFact($"Berth: commit {commit ?? "?"}{(string.IsNullOrWhiteSpace(dirty) ? string.Empty : " (with uncommitted changes)")}, Release build, published to the work dir");

        var tools = context.Tools;
        if (tools.DockerRegistry is not null)
        {
            context.DockerRegistryVersion = await TryRunAsync(tools.DockerRegistry, ["--version"]) ?? "docker-registry (version unknown)";
        }

        if (tools.MotoServer is not null)
        {
            // moto_server is a console script of the python3 that has moto installed.
            var version = await TryRunAsync(tools.Python ?? "python3", ["-c", "import moto, sys; print(moto.__version__, 'on Python', sys.version.split()[0])"]);
            context.MotoVersion = "moto " + (version ?? "(version unknown)");
        }

        table.AddFact($"peers: {(tools.DockerRegistry is null ? "docker-registry MISSING" : context.DockerRegistryVersion)}; "
            + $"{(tools.MotoServer is null ? "moto_server MISSING" : context.MotoVersion)}");
        var wrk = tools.Wrk is null ? "MISSING" : (await TryRunAsync(tools.Wrk, ["-v"]))?.Split('\n')[0] ?? "?";
        var skopeo = tools.Skopeo is null ? "MISSING" : await TryRunAsync(tools.Skopeo, ["--version"]) ?? "?";
        table.AddFact($"load generator: {wrk}; {skopeo}");
        table.AddFact(string.Create(CultureInfo.InvariantCulture, $"runs: transfers x{context.Options.TransferRuns}, load x{context.Options.LoadRuns} of {context.Options.LoadDuration.TotalSeconds:0} s; medians; Berth and peer alternate"));
    }

    private static async Task<string?> TryRunAsync(string file, string[] args)
    {
        try
        {
            var (exit, output) = await ChildProcess.RunAsync(file, args, TimeSpan.FromSeconds(30));
            return exit == 0 || file.EndsWith("wrk", StringComparison.Ordinal) ? output.Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }
}
