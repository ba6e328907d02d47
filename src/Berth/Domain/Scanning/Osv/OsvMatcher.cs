using Berth.Domain.Scanning.Versions;

namespace Berth.Domain.Scanning.Osv;

/// <summary>
/// Whether an advisory's <c>affected</c> entries cover a package version: listed versions match exactly; ECOSYSTEM and
/// SEMVER ranges are walked in version order (introduced opens, fixed and limit close at the version, last_affected
/// closes after it), as the OSV schema describes. GIT ranges name commits, which an installed package has not.
/// </summary>
public static class OsvMatcher
{
    /// <summary>The first entry naming this ecosystem and package that covers the version, with the fix when one is known; null when none does.</summary>
    public static OsvMatch? Match(OsvAdvisory advisory, string ecosystem, string name, string version, IVersionComparer comparer)
    {
        foreach (var affected in advisory.Affected)
        {
            if (!string.Equals(affected.Ecosystem, ecosystem, StringComparison.Ordinal) || !NameMatches(affected.Name, name, ecosystem))
            {
                continue;
            }

            foreach (var listed in affected.Versions)
            {
                if (string.Equals(listed, version, StringComparison.Ordinal))
                {
                    return new OsvMatch(affected, FixAfter(affected, version, comparer));
                }
            }

            foreach (var range in affected.Ranges)
            {
                if (range.Type is not ("ECOSYSTEM" or "SEMVER"))
                {
                    continue;
                }

                var order = range.Type == "SEMVER" ? SemanticVersion.Instance : comparer;
                if (InRange(range, version, order, out var fixedIn))
                {
                    return new OsvMatch(affected, fixedIn);
                }
            }
        }

        return null;
    }

    private static bool NameMatches(string advised, string installed, string ecosystem) =>
        ecosystem == "PyPI"
            ? Inventory.LanguagePackages.NormalizePython(advised) == installed
            : string.Equals(advised, installed, StringComparison.Ordinal);

    internal static bool InRange(OsvRange range, string version, IVersionComparer order, out string? fixedIn)
    {
        var events = new List<OsvEvent>(range.Events);
        events.Sort((a, b) => Compare(a.Version, b.Version, order));
        var affected = false;
        fixedIn = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var cmp = Compare(version, e.Version, order);
            switch (e.Kind)
            {
                case "introduced" when cmp >= 0:
                    affected = true;
                    break;
                case "fixed" or "limit" when cmp >= 0:
                    affected = false;
                    break;
                case "last_affected" when cmp > 0:
                    affected = false;
                    break;
            }
        }

        if (!affected)
        {
            return false;
        }

        foreach (var e in events)
        {
            if (e.Kind == "fixed" && Compare(version, e.Version, order) < 0)
            {
                fixedIn = e.Version;
                break;
            }
        }

        return true;
    }

    private static string? FixAfter(OsvAffected affected, string version, IVersionComparer comparer)
    {
        foreach (var range in affected.Ranges)
        {
            foreach (var e in range.Events)
            {
                if (e.Kind == "fixed" && comparer.Compare(version, e.Version) < 0)
                {
                    return e.Version;
                }
            }
        }

        return null;
    }

    // "0" is OSV's "from the beginning", below every version whatever the ecosystem.
    private static int Compare(string a, string b, IVersionComparer order) =>
        a == b ? 0 : b == "0" ? 1 : a == "0" ? -1 : order.Compare(a, b);
}

/// <summary>An advisory entry that covers a package, and the version that fixes it when the entry names one.</summary>
public sealed record OsvMatch(OsvAffected Affected, string? FixedIn);
