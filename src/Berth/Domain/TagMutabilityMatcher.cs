namespace Berth.Domain;

/// <summary>Decides whether an image tag is immutable under a repository's mutability mode and exclusion filters.</summary>
public static class TagMutabilityMatcher
{
    /// <summary>
    /// True when a tag that already points at an image may not be moved. In the *_WITH_EXCLUSION modes a tag
    /// matching any filter gets the opposite of the mode's default.
    /// </summary>
    public static bool IsImmutable(TagMutability mode, IReadOnlyList<string> exclusionFilters, string tag) => mode switch
    {
        TagMutability.Mutable => false,
        TagMutability.Immutable => true,
        TagMutability.ImmutableWithExclusion => !MatchesAny(exclusionFilters, tag),
        TagMutability.MutableWithExclusion => MatchesAny(exclusionFilters, tag),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>
    /// Whole-tag, case-sensitive glob match: <c>*</c> matches any run of characters (including none) and every
    /// other character matches only itself.
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> tag)
    {
        // Greedy match that remembers only the last '*': on a mismatch it lets that star swallow one more
        // character. Earlier stars never need revisiting, so the cost is O(filter × tag) at worst and linear
        // for the usual one- or two-star filters.
        var f = 0;
        var t = 0;
        var star = -1;
        var resume = 0;
        while (t < tag.Length)
        {
            if (f < filter.Length && filter[f] == '*')
            {
                star = f++;
                resume = t;
            }
            else if (f < filter.Length && filter[f] == tag[t])
            {
                f++;
                t++;
            }
            else if (star >= 0)
            {
                f = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (f < filter.Length && filter[f] == '*')
        {
            f++;
        }

        return f == filter.Length;
    }

    private static bool MatchesAny(IReadOnlyList<string> filters, string tag)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            if (Matches(filters[i], tag))
            {
                return true;
            }
        }

        return false;
    }
}
