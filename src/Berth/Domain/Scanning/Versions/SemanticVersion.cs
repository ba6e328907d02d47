namespace Berth.Domain.Scanning.Versions;

/// <summary>
/// Semantic Versioning 2.0 order (npm, OSV's SEMVER ranges): major.minor.patch, a pre-release below its release,
/// pre-release identifiers numeric below alphanumeric, build metadata ignored. A leading <c>v</c> and missing minor
/// or patch parts are tolerated, as npm's lock files never need but OSV ranges sometimes carry.
/// </summary>
public sealed class SemanticVersion : IVersionComparer
{
    public static readonly SemanticVersion Instance = new();

    public int Compare(string left, string right)
    {
        var (ac, ap) = Split(left);
        var (bc, bp) = Split(right);
        for (var i = 0; i < 3; i++)
        {
            var byCore = ac[i].CompareTo(bc[i]);
            if (byCore != 0)
            {
                return Math.Sign(byCore);
            }
        }

        if (ap.Length == 0 || bp.Length == 0)
        {
            return ap.Length == bp.Length ? 0 : ap.Length == 0 ? 1 : -1;
        }

        for (var i = 0; i < Math.Min(ap.Length, bp.Length); i++)
        {
            var aNumeric = long.TryParse(ap[i], out var an);
            var bNumeric = long.TryParse(bp[i], out var bn);
            var cmp = (aNumeric, bNumeric) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(ap[i], bp[i]),
            };
            if (cmp != 0)
            {
                return Math.Sign(cmp);
            }
        }

        return ap.Length.CompareTo(bp.Length);
    }

    private static (long[] Core, string[] Pre) Split(string version)
    {
        version = version.Trim().TrimStart('v', '=');
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        var dash = version.IndexOf('-', StringComparison.Ordinal);
        var pre = dash < 0 ? [] : version[(dash + 1)..].Split('.');
        var core = (dash < 0 ? version : version[..dash]).Split('.');
        var numbers = new long[3];
        for (var i = 0; i < 3 && i < core.Length; i++)
        {
            numbers[i] = long.TryParse(core[i], out var part) ? part : 0;
        }

        return (numbers, pre);
    }
}
