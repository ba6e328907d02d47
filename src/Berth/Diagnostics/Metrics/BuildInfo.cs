using System.Reflection;

namespace Berth.Diagnostics.Metrics;

/// <summary>The version and source commit this binary was built from, as the SDK stamps them into the assembly.</summary>
public static class BuildInfo
{
    /// <summary>The informational version without its <c>+commit</c> suffix, such as <c>1.0.0</c>.</summary>
    public static string Version { get; }

    /// <summary>The commit the SDK appended to the informational version (SourceRevisionId), or <c>unknown</c>.</summary>
    public static string Commit { get; }

    static BuildInfo()
    {
        var informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        Version = plus < 0 ? informational : informational[..plus];
        Commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
    }
}
