using System.Globalization;

namespace Berth.Domain.Lifecycle;

/// <summary>
/// The constraints of a lifecycle policy that a JSON schema cannot express: field combinations within a rule, then
/// uniqueness and ordering across the rules of each storage class. Messages are plain English naming the rule.
/// </summary>
internal static class LifecyclePolicyRuleChecks
{
    /// <summary>The first violated constraint, or null; <paramref name="rules"/> is in document order.</summary>
    public static string? Check(IReadOnlyList<LifecycleRule> rules)
    {
        foreach (var rule in rules)
        {
            var error = CheckRule(rule);
            if (error is not null)
            {
                return error;
            }
        }

        var seen = new HashSet<int>();
        foreach (var rule in rules)
        {
            if (!seen.Add(rule.Priority))
            {
                return Text($"rulePriority {rule.Priority} is used by more than one rule; each rule needs a unique rulePriority");
            }
        }

        var ordered = rules.OrderBy(static r => r.Priority).ToArray();
        return CheckStorageClass(ordered, StorageClass.Standard) ?? CheckStorageClass(ordered, StorageClass.Archive);
    }

    private static string? CheckRule(LifecycleRule rule)
    {
        var p = rule.Priority;
        var selection = rule.Selection;
        var hasPatterns = selection.TagPatternList.Count > 0;
        var hasPrefixes = selection.TagPrefixList.Count > 0;
        if (selection.TagStatus == TagStatus.Tagged)
        {
            if (hasPatterns && hasPrefixes)
            {
                return Text($"rule {p}: tagPatternList and tagPrefixList cannot be used together; a tagged rule takes exactly one of them");
            }

            if (!hasPatterns && !hasPrefixes)
            {
                return Text($"rule {p}: tagStatus tagged requires exactly one of tagPatternList or tagPrefixList");
            }
        }
        else if (hasPatterns || hasPrefixes)
        {
            return Text($"rule {p}: tagPatternList and tagPrefixList are allowed only when tagStatus is tagged");
        }

        foreach (var pattern in selection.TagPatternList)
        {
            var wildcards = pattern.AsSpan().Count('*');
            if (wildcards > LifecyclePolicyParser.MaxWildcardsPerPattern)
            {
                return Text(
                    $"rule {p}: tag pattern '{pattern}' has {wildcards} wildcards; at most {LifecyclePolicyParser.MaxWildcardsPerPattern} are allowed");
            }
        }

        var countType = selection.CountType;
        if (selection.StorageClass == StorageClass.Archive && countType != CountType.SinceImageTransitioned)
        {
            return Text($"rule {p}: storageClass archive can be used only with countType sinceImageTransitioned");
        }

        if (countType == CountType.SinceImageTransitioned && selection.StorageClass != StorageClass.Archive)
        {
            return Text($"rule {p}: countType sinceImageTransitioned requires storageClass archive");
        }

        var action = rule.Action;
        if (action.Type == LifecycleActionType.Expire && action.TargetStorageClass is not null)
        {
            return Text($"rule {p}: targetStorageClass is allowed only when the action type is transition");
        }

        if (action.Type == LifecycleActionType.Transition && action.TargetStorageClass is null)
        {
            return Text($"rule {p}: action type transition requires targetStorageClass archive");
        }

        if (countType == CountType.SinceImagePulled && action.Type != LifecycleActionType.Transition)
        {
            return Text($"rule {p}: countType sinceImagePulled can be used only with action type transition");
        }

        if (countType == CountType.SinceImageTransitioned && action.Type != LifecycleActionType.Expire)
        {
            return Text($"rule {p}: countType sinceImageTransitioned can be used only with action type expire");
        }

        if (countType == CountType.SinceImageTransitioned && selection.CountNumber < LifecyclePolicyParser.MinDaysArchivedBeforeExpiry)
        {
            return Text(
                $"rule {p}: countNumber for sinceImageTransitioned must be at least {LifecyclePolicyParser.MinDaysArchivedBeforeExpiry}, the minimum number of days an image stays archived (found: {selection.CountNumber})");
        }

        return null;
    }

    /// <summary>Checks the rules of one storage class; <paramref name="ordered"/> is sorted by priority.</summary>
    private static string? CheckStorageClass(LifecycleRule[] ordered, StorageClass storageClass)
    {
        var name = storageClass == StorageClass.Archive ? "archive" : "standard";
        LifecycleRule? last = null;
        LifecycleRule? untagged = null;
        var tagged = new List<(LifecycleRule Rule, string[] Entries)>();
        foreach (var rule in ordered)
        {
            if (rule.Selection.StorageClass != storageClass)
            {
                continue;
            }

            if (last is { Selection.TagStatus: TagStatus.Any })
            {
                return Text(
                    $"rule {last.Priority} has tagStatus any, so it must have the highest rulePriority among the {name} rules, but rule {rule.Priority} comes after it");
            }

            last = rule;
            switch (rule.Selection.TagStatus)
            {
                case TagStatus.Untagged when untagged is not null:
                    return Text(
                        $"rules {untagged.Priority} and {rule.Priority} both select untagged {name} images; a storage class may have only one untagged rule");
                case TagStatus.Untagged:
                    untagged = rule;
                    break;
                case TagStatus.Tagged:
                    // Entries are ANDed, so order and repeats do not change what a list selects.
                    var entries = EntriesOf(rule.Selection).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                    foreach (var (other, otherEntries) in tagged)
                    {
                        if (SameKind(other.Selection, rule.Selection) && otherEntries.AsSpan().SequenceEqual(entries))
                        {
                            return Text(
                                $"rules {other.Priority} and {rule.Priority} use the same {ListName(rule.Selection)} for {name} images; each list must be unique within a storage class");
                        }
                    }

                    tagged.Add((rule, entries));
                    break;
            }
        }

        return null;
    }

    private static IReadOnlyList<string> EntriesOf(RuleSelection selection) =>
        selection.TagPatternList.Count > 0 ? selection.TagPatternList : selection.TagPrefixList;

    private static bool SameKind(RuleSelection a, RuleSelection b) => (a.TagPatternList.Count > 0) == (b.TagPatternList.Count > 0);

    private static string ListName(RuleSelection selection) => selection.TagPatternList.Count > 0 ? "tagPatternList" : "tagPrefixList";

    private static string Text(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
