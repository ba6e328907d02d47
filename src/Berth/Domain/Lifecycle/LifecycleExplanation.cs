using System.Globalization;

namespace Berth.Domain.Lifecycle;

/// <summary>
/// One page of an evaluation for a person to read: every image, newest push first, with the rule that acts on it or
/// why it is kept, and the totals over the whole repository.
/// </summary>
public sealed record LifecycleExplanation(
    DateTimeOffset EvaluatedAt,
    int Images,
    int Expiring,
    int Transitioning,
    IReadOnlyList<LifecycleExplanationItem> Items,
    string? NextToken)
{
    /// <summary>
    /// The page after <paramref name="after"/> (a token from an earlier page, null for the first) of at most
    /// <paramref name="limit"/> images; a token this did not make is refused. The token is the last image's push time and digest, so a page boundary holds
    /// even when images are pushed or deleted between pages.
    /// </summary>
    public static Result<LifecycleExplanation> Page(LifecycleEvaluation evaluation, string? after, int limit)
    {
        var n = evaluation.Images.Count;
        var order = new int[n];
        var ticks = new long[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            ticks[i] = LifecycleClocks.Pushed(evaluation.Images[i]).UtcTicks;
        }

        Array.Sort(order, (a, b) => Compare(ticks[a], evaluation.Images[a].Digest, ticks[b], evaluation.Images[b].Digest));
        var start = 0;
        if (after is not null)
        {
            if (!TryParse(after, out var afterTicks, out var afterDigest))
            {
                return new DomainError(ErrorCode.InvalidParameter, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'the token of an earlier page'");
            }

            // The first image that sorts after the token's.
            var (low, high) = (0, n);
            while (low < high)
            {
                var mid = (low + high) / 2;
                if (Compare(ticks[order[mid]], evaluation.Images[order[mid]].Digest, afterTicks, afterDigest) <= 0)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            start = low;
        }

        var end = Math.Min(n, start + limit);
        var items = new List<LifecycleExplanationItem>(end - start);
        for (var k = start; k < end; k++)
        {
            var i = order[k];
            items.Add(new LifecycleExplanationItem(evaluation.Images[i], evaluation.Decisions[i]));
        }

        string? next = null;
        if (end < n)
        {
            var last = order[end - 1];
            next = ticks[last].ToString(CultureInfo.InvariantCulture) + "/" + evaluation.Images[last].Digest;
        }

        return new LifecycleExplanation(
            evaluation.EvaluatedAt,
            n,
            evaluation.Count(LifecycleOutcome.Expire),
            evaluation.Count(LifecycleOutcome.Transition),
            items,
            next);
    }

    /// <summary>Newest first; of two pushed at the same instant, the smaller digest first (the evaluator's order).</summary>
    private static int Compare(long ticksA, string digestA, long ticksB, string digestB)
    {
        var byTime = ticksB.CompareTo(ticksA);
        return byTime != 0 ? byTime : string.CompareOrdinal(digestA, digestB);
    }

    private static bool TryParse(string? token, out long ticks, out string digest)
    {
        (ticks, digest) = (0, string.Empty);
        var slash = token?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !long.TryParse(token.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out ticks))
        {
            return false;
        }

        digest = token![(slash + 1)..];
        return true;
    }
}

/// <summary>One image of an explanation and the evaluator's decision on it.</summary>
public sealed record LifecycleExplanationItem(LifecycleImage Image, LifecycleDecision Decision);
