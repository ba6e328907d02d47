using System.Text.RegularExpressions;

namespace Berth.Domain.Scanning.Versions;

/// <summary>
/// PyPI's order (PEP 440): epoch, release with trailing zeros ignored, then
/// <c>X.devN &lt; X.aN &lt; X.bN &lt; X.rcN &lt; X &lt; X.postN</c>; local labels (<c>+...</c>) are ignored. A version that is not
/// PEP 440 compares as text, after every valid one.
/// </summary>
public sealed partial class PythonVersion : IVersionComparer
{
    public static readonly PythonVersion Instance = new();

    public int Compare(string left, string right)
    {
        var a = Parse(left);
        var b = Parse(right);
        if (a is null || b is null)
        {
            return a is null && b is null ? string.CompareOrdinal(left, right) : a is null ? 1 : -1;
        }

        var byEpoch = a.Epoch.CompareTo(b.Epoch);
        if (byEpoch != 0)
        {
            return Math.Sign(byEpoch);
        }

        for (var i = 0; i < Math.Max(a.Release.Length, b.Release.Length); i++)
        {
            var x = i < a.Release.Length ? a.Release[i] : 0;
            var y = i < b.Release.Length ? b.Release[i] : 0;
            if (x != y)
            {
                return x < y ? -1 : 1;
            }
        }

        var byPre = a.Pre.CompareTo(b.Pre);
        if (byPre != 0)
        {
            return Math.Sign(byPre);
        }

        var byPost = a.Post.CompareTo(b.Post);
        return byPost != 0 ? Math.Sign(byPost) : Math.Sign(a.Dev.CompareTo(b.Dev));
    }

    private sealed record Parsed(long Epoch, long[] Release, (int, long) Pre, long Post, long Dev);

    [GeneratedRegex(@"^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pep440();

    private static Parsed? Parse(string version)
    {
        var m = Pep440().Match(version.Trim().ToLowerInvariant());
        if (!m.Success)
        {
            return null;
        }

        var epoch = m.Groups[1].Success ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var parts = m.Groups[2].Value.Split('.');
        var release = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            release[i] = long.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        var hasPre = m.Groups[3].Success;
        var hasPost = m.Groups[5].Success || m.Groups[6].Success;
        var hasDev = m.Groups[8].Success;
        // Ranks: a dev release of a final version sorts before its pre-releases; no pre-release sorts after them.
        (int, long) pre = hasPre
            ? (m.Groups[3].Value switch { "a" or "alpha" => 1, "b" or "beta" => 2, _ => 3 }, Number(m.Groups[4].Value))
            : !hasPost && hasDev ? (0, 0) : (4, 0);
        var post = hasPost ? Number(m.Groups[5].Success ? m.Groups[5].Value : m.Groups[7].Value) : -1;
        var dev = hasDev ? Number(m.Groups[9].Value) : long.MaxValue;
        return new Parsed(epoch, release, pre, post, dev);
    }

    private static long Number(string digits) => digits.Length == 0 ? 0 : long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
}
