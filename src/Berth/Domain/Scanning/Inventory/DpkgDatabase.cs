using System.Text;

namespace Berth.Domain.Scanning.Inventory;

/// <summary>
/// dpkg's status database (<c>/var/lib/dpkg/status</c>, and the one-file-per-package <c>status.d/</c> that
/// distroless images use): RFC 822 stanzas; a package counts when its Status says installed.
/// </summary>
public static class DpkgDatabase
{
    public static IEnumerable<InstalledPackage> Read(ReadOnlySpan<byte> content, string filePath, string layer, bool requireInstalled)
    {
        var packages = new List<InstalledPackage>();
        foreach (var stanza in Stanzas(Encoding.UTF8.GetString(content)))
        {
            if (!stanza.TryGetValue("Package", out var name) || !stanza.TryGetValue("Version", out var version))
            {
                continue;
            }

            if (requireInstalled && !(stanza.TryGetValue("Status", out var status) && status.EndsWith(" installed", StringComparison.Ordinal)))
            {
                continue;
            }

            string? sourceName = null;
            string? sourceVersion = null;
            if (stanza.TryGetValue("Source", out var source))
            {
                // "Source: glibc (2.36-9)" names the source and its version when they differ from the binary's.
                var open = source.IndexOf('(', StringComparison.Ordinal);
                sourceName = (open < 0 ? source : source[..open]).Trim();
                if (open >= 0 && source.IndexOf(')', open) is var close and > 0)
                {
                    sourceVersion = source[(open + 1)..close].Trim();
                }
            }

            packages.Add(new InstalledPackage(PackageKind.Dpkg, name, version, stanza.GetValueOrDefault("Architecture"), filePath, layer)
            {
                SourceName = sourceName,
                SourceVersion = sourceVersion,
            });
        }

        return packages;
    }

    private static IEnumerable<Dictionary<string, string>> Stanzas(string text)
    {
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        string? lastKey = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                if (current.Count > 0)
                {
                    yield return current;
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                lastKey = null;
                continue;
            }

            if (trimmed[0] is ' ' or '\t')
            {
                // A continuation line (Description, Conffiles): nothing the inventory reads.
                continue;
            }

            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                lastKey = trimmed[..colon];
                current[lastKey] = trimmed[(colon + 1)..].Trim();
            }
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}
