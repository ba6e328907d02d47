namespace Berth.Bench.Processes;

/// <summary>The external programs the harness drives, found on PATH; a missing one is reported, never skipped silently.</summary>
public sealed record Tools(string? Wrk, string? Skopeo, string? DockerRegistry, string? MotoServer, string? Python, string? PostgresBin)
{
    /// <summary>Debian's PostgreSQL 15 server programs (initdb, postgres, pg_ctl), which are not on PATH.</summary>
    public const string PostgresBinDir = "/usr/lib/postgresql/15/bin";

    public static Tools Find() => new(
        Which("wrk"), Which("skopeo"), Which("docker-registry"), Which("moto_server"), Which("python3"),
        File.Exists(Path.Combine(PostgresBinDir, "initdb")) ? PostgresBinDir : null);

    public static string? Which(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Why a workload that needs <paramref name="tool"/> cannot run, or null when it can.</summary>
    public static string? Missing(string? path, string tool, string install) =>
        path is null ? $"missing: {tool} not found on PATH ({install})" : null;
}
