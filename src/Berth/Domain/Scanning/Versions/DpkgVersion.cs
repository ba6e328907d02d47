namespace Berth.Domain.Scanning.Versions;

/// <summary>
/// Debian's version order (<c>[epoch:]upstream[-revision]</c>), as dpkg compares: epochs numerically, then upstream
/// and revision by alternating non-digit and digit runs, where <c>~</c> sorts before everything, even the end.
/// </summary>
public sealed class DpkgVersion : IVersionComparer
{
    public static readonly DpkgVersion Instance = new();

    public int Compare(string left, string right)
    {
        var (leftEpoch, leftUpstream, leftRevision) = Split(left);
        var (rightEpoch, rightUpstream, rightRevision) = Split(right);
        var byEpoch = leftEpoch.CompareTo(rightEpoch);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        var byUpstream = CompareRuns(leftUpstream, rightUpstream);
        return byUpstream != 0 ? byUpstream : CompareRuns(leftRevision, rightRevision);
    }

    private static (long Epoch, string Upstream, string Revision) Split(string version)
    {
        version = version.Trim();
        long epoch = 0;
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(version.AsSpan(0, colon), out var parsed))
        {
            epoch = parsed;
            version = version[(colon + 1)..];
        }

        var dash = version.LastIndexOf('-');
        return dash < 0 ? (epoch, version, string.Empty) : (epoch, version[..dash], version[(dash + 1)..]);
    }

    /// <summary>dpkg's verrevcmp: non-digit runs by <see cref="Order"/>, then digit runs as numbers.</summary>
    internal static int CompareRuns(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = i < a.Length ? Order(a[i]) : 0;
                var bc = j < b.Length ? Order(b[j]) : 0;
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            var firstDiff = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    // Letters sort before other characters, and ~ before the end of the string.
    private static int Order(char c) => c switch
    {
        '~' => -1,
        _ when char.IsAsciiDigit(c) => 0,
        _ when char.IsAsciiLetter(c) => c,
        _ => c + 256,
    };
}
