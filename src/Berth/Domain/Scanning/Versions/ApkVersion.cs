namespace Berth.Domain.Scanning.Versions;

/// <summary>
/// Alpine's version order (<c>1.2.3a_rc1_p2-r4</c>), as apk compares: dotted numbers, an optional letter, suffixes
/// (<c>_alpha &lt; _beta &lt; _pre &lt; _rc &lt;</c> none <c>&lt; _cvs &lt; _svn &lt; _git &lt; _hg &lt; _p</c>), each with an optional
/// number, then the package revision <c>-rN</c>.
/// </summary>
public sealed class ApkVersion : IVersionComparer
{
    public static readonly ApkVersion Instance = new();

    private static readonly string[] Suffixes = ["alpha", "beta", "pre", "rc", string.Empty, "cvs", "svn", "git", "hg", "p"];
    private static readonly int NoSuffix = Array.IndexOf(Suffixes, string.Empty);

    public int Compare(string left, string right)
    {
        var a = Parse(left);
        var b = Parse(right);
        var count = Math.Max(a.Numbers.Count, b.Numbers.Count);
        for (var i = 0; i < count; i++)
        {
            if (i >= a.Numbers.Count)
            {
                return -1;
            }

            if (i >= b.Numbers.Count)
            {
                return 1;
            }

            // After the first, a part with a leading zero compares as a decimal fraction, as apk does.
            var byNumber = i > 0 && (a.Numbers[i].StartsWith('0') || b.Numbers[i].StartsWith('0'))
                ? string.CompareOrdinal(a.Numbers[i], b.Numbers[i])
                : CompareDigits(a.Numbers[i], b.Numbers[i]);
            if (byNumber != 0)
            {
                return Math.Sign(byNumber);
            }
        }

        var byLetter = a.Letter.CompareTo(b.Letter);
        if (byLetter != 0)
        {
            return Math.Sign(byLetter);
        }

        var suffixes = Math.Max(a.Suffixes.Count, b.Suffixes.Count);
        for (var i = 0; i < suffixes; i++)
        {
            var (ra, na) = i < a.Suffixes.Count ? a.Suffixes[i] : (NoSuffix, 0L);
            var (rb, nb) = i < b.Suffixes.Count ? b.Suffixes[i] : (NoSuffix, 0L);
            if (ra != rb)
            {
                return ra < rb ? -1 : 1;
            }

            if (na != nb)
            {
                return na < nb ? -1 : 1;
            }
        }

        return a.Revision.CompareTo(b.Revision);
    }

    private static int CompareDigits(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    private sealed record Parsed(List<string> Numbers, char Letter, List<(int Rank, long Number)> Suffixes, long Revision);

    private static Parsed Parse(string version)
    {
        long revision = 0;
        var r = version.LastIndexOf("-r", StringComparison.Ordinal);
        if (r >= 0 && long.TryParse(version.AsSpan(r + 2), out var rev))
        {
            revision = rev;
            version = version[..r];
        }

        var numbers = new List<string>();
        var i = 0;
        while (i < version.Length && char.IsAsciiDigit(version[i]))
        {
            var start = i;
            while (i < version.Length && char.IsAsciiDigit(version[i]))
            {
                i++;
            }

            numbers.Add(version[start..i]);
            if (i < version.Length - 1 && version[i] == '.' && char.IsAsciiDigit(version[i + 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        var letter = '\0';
        if (i < version.Length && char.IsAsciiLetterLower(version[i]))
        {
            letter = version[i++];
        }

        var suffixes = new List<(int, long)>();
        while (i < version.Length && version[i] == '_')
        {
            var start = ++i;
            while (i < version.Length && char.IsAsciiLetter(version[i]))
            {
                i++;
            }

            var rank = Array.IndexOf(Suffixes, version[start..i]);
            var numberStart = i;
            while (i < version.Length && char.IsAsciiDigit(version[i]))
            {
                i++;
            }

            // A suffix without a number counts as number 0.
            var number = long.TryParse(version.AsSpan(numberStart, i - numberStart), out var n) ? n : 0;
            // An unknown suffix ranks as none, so it neither hides nor invents a difference.
            suffixes.Add((rank < 0 ? NoSuffix : rank, number));
        }

        return new Parsed(numbers, letter, suffixes, revision);
    }
}
