namespace Berth.Domain.Auth.Policies;

/// <summary>IAM's wildcard matching: <c>*</c> is any run of characters, <c>?</c> exactly one.</summary>
public static class PolicyWildcard
{
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        // Greedy with one backtrack point: the last star seen and where its run ended. Linear in practice and never
        // exponential, since policy text is bounded and patterns are user input.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// Matches ARNs as IAM does: wildcards stay inside a colon-separated segment, except that a <c>*</c> ending a
    /// segment (<c>arn:aws:ecr:*</c>) may run on across colons; a lone <c>*</c> matches every ARN.
    /// </summary>
    public static bool MatchesArn(string pattern, string arn)
    {
        if (pattern == "*")
        {
            return true;
        }

        // Dynamic programming over (pattern position, text position): stars are restricted, so the single-backtrack
        // walk above would miss matches. Both strings are short (policy text and ARNs are bounded).
        var m = arn.Length;
        Span<bool> row = m < 256 ? stackalloc bool[m + 1] : new bool[m + 1];
        Span<bool> next = m < 256 ? stackalloc bool[m + 1] : new bool[m + 1];
        row[0] = true;
        for (var p = 0; p < pattern.Length; p++)
        {
            var c = pattern[p];
            next.Clear();
            if (c == '*')
            {
                var crossesColons = p + 1 == pattern.Length || pattern[p + 1] == ':';
                var reachable = false;
                for (var t = 0; t <= m; t++)
                {
                    reachable = row[t] || (reachable && t > 0 && (crossesColons || arn[t - 1] != ':'));
                    next[t] = reachable;
                }
            }
            else
            {
                for (var t = 1; t <= m; t++)
                {
                    next[t] = row[t - 1] && (c == '?' ? arn[t - 1] != ':' : arn[t - 1] == c);
                }
            }

            next.CopyTo(row);
        }

        return row[m];
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
