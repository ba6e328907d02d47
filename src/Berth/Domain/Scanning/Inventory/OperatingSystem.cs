namespace Berth.Domain.Scanning.Inventory;

/// <summary>An image's distribution from <c>/etc/os-release</c>, and the OSV ecosystem its packages are advised under.</summary>
public sealed record OperatingSystem(string Id, string VersionId, string PrettyName, string? Ecosystem)
{
    /// <summary>Reads os-release's <c>KEY=value</c> lines (values optionally quoted).</summary>
    public static OperatingSystem? Parse(ReadOnlySpan<byte> content)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in System.Text.Encoding.UTF8.GetString(content).Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || line.StartsWith('#'))
            {
                continue;
            }

            fields[line[..eq]] = line[(eq + 1)..].Trim('"', '\'');
        }

        if (!fields.TryGetValue("ID", out var id))
        {
            return null;
        }

        var version = fields.GetValueOrDefault("VERSION_ID") ?? string.Empty;
        return new OperatingSystem(id, version, fields.GetValueOrDefault("PRETTY_NAME") ?? id, EcosystemOf(id, version));
    }

    /// <summary>OSV's ecosystem name for the release, or null for a distribution Berth does not know.</summary>
    private static string? EcosystemOf(string id, string version)
    {
        var major = version.Split('.')[0];
        var parts = version.Split('.');
        return id switch
        {
            "debian" when major.Length > 0 => $"Debian:{major}",
            "ubuntu" when version.Length > 0 => $"Ubuntu:{version}",
            "alpine" when parts.Length >= 2 => $"Alpine:v{parts[0]}.{parts[1]}",
            "rocky" when major.Length > 0 => $"Rocky Linux:{major}",
            "almalinux" when major.Length > 0 => $"AlmaLinux:{major}",
            _ => null,
        };
    }
}
