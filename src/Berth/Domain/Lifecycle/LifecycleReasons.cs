using System.Text;

namespace Berth.Domain.Lifecycle;

/// <summary>The human explanations attached to lifecycle decisions.</summary>
internal sealed class LifecycleReasons
{
    private readonly string _head;
    private readonly LifecycleRule _rule;
    private readonly DateTimeOffset _now;

    public LifecycleReasons(LifecycleRule rule, DateTimeOffset now)
    {
        _rule = rule;
        _now = now;
        _head = Head(rule);
    }

    /// <summary>Why the rule acts on an image it selected; <paramref name="rank"/> is its place among the rule's candidates, newest first.</summary>
    public string Acted(LifecycleImage image, int rank) => _rule.Selection.CountType == CountType.ImageCountMoreThan
        ? $"{_head} and {Verb(_rule.Action)} the rest{Target(_rule.Action)}: this is #{rank}"
        : $"{_head}: {AgeDetail(image)}";

    /// <summary>Why the rule leaves a candidate it did not select.</summary>
    public string Kept(LifecycleImage image, int rank) => _rule.Selection.CountType == CountType.ImageCountMoreThan
        ? $"{_head}: this is #{rank}"
        : $"{_head}: {AgeDetail(image)}, so it stays";

    private static string Head(LifecycleRule rule)
    {
        var s = rule.Selection;
        var selected = Selected(s);
        if (s.CountType == CountType.ImageCountMoreThan)
        {
            return $"rule {rule.Priority} keeps the {s.CountNumber} most recent {selected}";
        }

        var clock = s.CountType switch
        {
            CountType.SinceImagePushed => "pushed",
            CountType.SinceImagePulled => "last pulled",
            _ => "archived",
        };
        return $"rule {rule.Priority} {Verb(rule.Action)} {selected} {clock} more than {Days(s.CountNumber)} ago{Target(rule.Action)}";
    }

    private static string Selected(RuleSelection selection)
    {
        var archived = selection.StorageClass == StorageClass.Archive ? "archived " : "";
        return selection.TagStatus switch
        {
            TagStatus.Any => $"{archived}images",
            TagStatus.Untagged => $"{archived}untagged images",
            _ when selection.TagPatternList.Count > 0 => $"{archived}images tagged {string.Join(" and ", selection.TagPatternList)}",
            _ => $"{archived}images with tags starting with {string.Join(" and ", selection.TagPrefixList)}",
        };
    }

    private string AgeDetail(LifecycleImage image)
    {
        var restored = image.LastActivatedAt is { } activated && activated > image.PushedAt;
        var since = restored ? "restored from archive" : "pushed";
        switch (_rule.Selection.CountType)
        {
            case CountType.SinceImagePushed:
                return $"{since} {Ago(LifecycleClocks.Pushed(image))}";
            case CountType.SinceImagePulled:
                var pushed = LifecycleClocks.Pushed(image);
                if (image.LastPulledAt is null)
                {
                    return $"never pulled, {since} {Ago(pushed)}";
                }

                return image.LastPulledAt > pushed
                    ? $"last pulled {Ago(image.LastPulledAt.Value)}"
                    : $"not pulled since it was {since} {Ago(pushed)}";
            default:
                return image.LastTransitionedAt is { } archivedAt ? $"archived {Ago(archivedAt)}" : "no archive time is recorded";
        }
    }

    private string Ago(DateTimeOffset time)
    {
        var age = _now - time;
        if (age < TimeSpan.Zero)
        {
            return "in the future";
        }

        var text = new StringBuilder();
        if (age.Days > 0)
        {
            text.Append(Days(age.Days));
            if (age.Hours > 0)
            {
                text.Append(' ').Append(Plural(age.Hours, "hour"));
            }
        }
        else if (age.Hours > 0)
        {
            text.Append(Plural(age.Hours, "hour"));
            if (age.Minutes > 0)
            {
                text.Append(' ').Append(Plural(age.Minutes, "minute"));
            }
        }
        else if (age.Minutes > 0)
        {
            text.Append(Plural(age.Minutes, "minute"));
        }
        else
        {
            return "just now";
        }

        return text.Append(" ago").ToString();
    }

    private static string Verb(RuleAction action) => action.Type == LifecycleActionType.Expire ? "expires" : "transitions";

    private static string Target(RuleAction action) => action.Type == LifecycleActionType.Transition ? " to archive" : "";

    private static string Days(int days) => Plural(days, "day");

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
