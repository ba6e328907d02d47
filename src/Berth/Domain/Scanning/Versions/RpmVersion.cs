namespace Berth.Domain.Scanning.Versions;

/// <summary>
/// RPM's order of <c>[epoch:]version[-release]</c>: epochs numerically, then version and release by rpmvercmp, which
/// splits into alphanumeric segments, ranks <c>~</c> lowest and <c>^</c> just above the end, and puts a numeric
/// segment above an alphabetic one.
/// </summary>
public sealed class RpmVersion : IVersionComparer
{
    public static readonly RpmVersion Instance = new();

    public int Compare(string left, string right)
    {
        var (le, lv, lr) = Split(left);
        var (re, rv, rr) = Split(right);
        var byEpoch = le.CompareTo(re);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        var byVersion = VerCmp(lv, rv);
        return byVersion != 0 || lr is null || rr is null ? byVersion : VerCmp(lr, rr);
    }

    private static (long Epoch, string Version, string? Release) Split(string evr)
    {
        long epoch = 0;
        var colon = evr.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(evr.AsSpan(0, colon), out var parsed))
        {
            epoch = parsed;
            evr = evr[(colon + 1)..];
        }

        var dash = evr.LastIndexOf('-');
        return dash < 0 ? (epoch, evr, null) : (epoch, evr[..dash], evr[(dash + 1)..]);
    }

    /// <summary>rpmvercmp.</summary>
    internal static int VerCmp(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] is not ('~' or '^'))
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] is not ('~' or '^'))
            {
                j++;
            }

            var aTilde = i < a.Length && a[i] == '~';
            var bTilde = j < b.Length && b[j] == '~';
            if (aTilde || bTilde)
            {
                if (!aTilde)
                {
                    return 1;
                }

                if (!bTilde)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            var aCaret = i < a.Length && a[i] == '^';
            var bCaret = j < b.Length && b[j] == '^';
            if (aCaret || bCaret)
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                if (!aCaret)
                {
                    return 1;
                }

                if (!bCaret)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length)
            {
                break;
            }

            var numeric = char.IsAsciiDigit(a[i]);
            var si = i;
            var sj = j;
            if (numeric)
            {
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }
            }
            else
            {
                while (i < a.Length && char.IsAsciiLetter(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiLetter(b[j]))
                {
                    j++;
                }
            }

            if (sj == j)
            {
                // Segments of different kinds: a number is newer than letters.
                return numeric ? 1 : -1;
            }

            var sa = a.AsSpan(si, i - si);
            var sb = b.AsSpan(sj, j - sj);
            if (numeric)
            {
                sa = sa.TrimStart('0');
                sb = sb.TrimStart('0');
                if (sa.Length != sb.Length)
                {
                    return sa.Length > sb.Length ? 1 : -1;
                }
            }

            var cmp = sa.SequenceCompareTo(sb);
            if (cmp != 0)
            {
                return cmp < 0 ? -1 : 1;
            }
        }

        if (i >= a.Length && j >= b.Length)
        {
            return 0;
        }

        return i >= a.Length ? -1 : 1;
    }
}
