namespace Berth.Domain.Lifecycle;

/// <summary>Whether an image's tags satisfy a rule's tag selection (the rule's candidates, before counting or ageing).</summary>
internal static class LifecycleTagSelection
{
    /// <summary>
    /// Tagged rules need every list entry to match at least one tag, not necessarily the same one; extra tags do
    /// not matter. Patterns are whole-tag globs, prefixes plain ordinal prefixes.
    /// </summary>
    public static bool Matches(RuleSelection selection, IReadOnlyList<string> tags) => selection.TagStatus switch
    {
        TagStatus.Any => true,
        TagStatus.Untagged => tags.Count == 0,
        _ => tags.Count > 0 && (selection.TagPatternList.Count > 0
            ? EveryEntryMatches(selection.TagPatternList, tags, prefix: false)
            : EveryEntryMatches(selection.TagPrefixList, tags, prefix: true)),
    };

    private static bool EveryEntryMatches(IReadOnlyList<string> entries, IReadOnlyList<string> tags, bool prefix)
    {
        for (var e = 0; e < entries.Count; e++)
        {
            if (!AnyTagMatches(entries[e], tags, prefix))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyTagMatches(string entry, IReadOnlyList<string> tags, bool prefix)
    {
        for (var t = 0; t < tags.Count; t++)
        {
            if (prefix ? tags[t].StartsWith(entry, StringComparison.Ordinal) : TagMutabilityMatcher.Matches(entry, tags[t]))
            {
                return true;
            }
        }

        return false;
    }
}
