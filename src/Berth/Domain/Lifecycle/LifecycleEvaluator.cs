namespace Berth.Domain.Lifecycle;

/// <summary>
/// Applies a lifecycle policy to a repository's images at one instant, following ECR's evaluation rules: every rule
/// sees every image, rules act in priority order, an image is acted on by at most one rule, and an image whose tags
/// a rule selects is shielded from all later rules (which still count it). Pure: no clock, no storage.
/// </summary>
/// <remarks>
/// Cost is one sort of the images (O(n log n)) plus one pass over the sorted images per rule (O(rules × n) tag
/// matches), so a 50-rule policy over 100,000 images is a few million cheap comparisons.
/// </remarks>
public static class LifecycleEvaluator
{
    public static LifecycleEvaluation Evaluate(LifecyclePolicy policy, IReadOnlyList<LifecycleImage> images, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(images);
        var n = images.Count;
        var byDigest = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            byDigest.TryAdd(images[i].Digest, i);
        }

        var listedBy = ManifestListsReferencing(images, byDigest);
        var subjectOf = PresentSubjects(images, byDigest);
        var order = NewestFirst(images);
        LifecycleRule[] rules = [.. policy.Rules.OrderBy(static r => r.Priority)];

        // Every candidate takes its place in a rule's count, shielded and already-acted ones included, but only the
        // first rule whose tag selection matches an image may act on it.
        var claims = new Claim[n];
        for (var r = 0; r < rules.Length; r++)
        {
            var selection = rules[r].Selection;
            var position = 0;
            foreach (var i in order)
            {
                var image = images[i];
                if (subjectOf[i] >= 0 || image.StorageClass != selection.StorageClass || !LifecycleTagSelection.Matches(selection, image.Tags))
                {
                    continue;
                }

                position++;
                var selects = Selects(selection, image, position, now);
                ref var claim = ref claims[i];
                if (claim.Rule == 0)
                {
                    claim = new Claim(r + 1, position, selects, selects && listedBy[i] < 0, 0);
                }
                else if (selects && !claim.Acted && claim.ShieldedFrom == 0)
                {
                    claim.ShieldedFrom = r + 1;
                }
            }
        }

        var reasons = new LifecycleReasons[rules.Length];
        for (var r = 0; r < rules.Length; r++)
        {
            reasons[r] = new LifecycleReasons(rules[r], now);
        }

        var decisions = new LifecycleDecision[n];
        for (var i = 0; i < n; i++)
        {
            if (subjectOf[i] < 0)
            {
                decisions[i] = Decide(images, i, claims[i], listedBy[i], rules, reasons);
            }
        }

        ReferrerDecisions.Fill(images, subjectOf, listedBy, decisions);
        return new LifecycleEvaluation(now, images, decisions);
    }

    private static LifecycleDecision Decide(
        IReadOnlyList<LifecycleImage> images,
        int i,
        Claim claim,
        int listedBy,
        LifecycleRule[] rules,
        LifecycleReasons[] reasons)
    {
        var image = images[i];
        if (claim.Rule == 0)
        {
            return new LifecycleDecision(image.Digest, LifecycleOutcome.Keep, null, "no rule selects this image");
        }

        var rule = rules[claim.Rule - 1];
        var because = reasons[claim.Rule - 1];
        if (claim.Acted)
        {
            var outcome = rule.Action.Type == LifecycleActionType.Expire ? LifecycleOutcome.Expire : LifecycleOutcome.Transition;
            return new LifecycleDecision(image.Digest, outcome, rule.Priority, because.Acted(image, claim.Rank));
        }

        var reason = claim.Selected
            ? $"kept: referenced by manifest list {images[listedBy].Digest}, which must be deleted first; otherwise {because.Acted(image, claim.Rank)}"
            : because.Kept(image, claim.Rank);
        if (claim.ShieldedFrom > 0)
        {
            reason = $"shielded by rule {rule.Priority} (its tag selection matched), so rule {rules[claim.ShieldedFrom - 1].Priority} may not act on it; {reason}";
        }

        return new LifecycleDecision(image.Digest, LifecycleOutcome.Keep, rule.Priority, reason);
    }

    private static bool Selects(RuleSelection selection, LifecycleImage image, int position, DateTimeOffset now) => selection.CountType switch
    {
        CountType.ImageCountMoreThan => position > selection.CountNumber,
        CountType.SinceImagePushed => LifecycleClocks.IsOlderThan(LifecycleClocks.Pushed(image), now, selection.CountNumber),
        CountType.SinceImagePulled => LifecycleClocks.IsOlderThan(LifecycleClocks.Pulled(image), now, selection.CountNumber),
        // An archived image with no recorded archive time cannot be shown to have served its minimum; keep it.
        _ => image.LastTransitionedAt is { } archivedAt && LifecycleClocks.IsOlderThan(archivedAt, now, selection.CountNumber),
    };

    /// <summary>
    /// For each image, the first manifest list or index in the repository that references it, or -1. The list
    /// protects it for this whole evaluation, even when the list itself expires now: the list goes first and the
    /// child becomes eligible on the next evaluation.
    /// </summary>
    private static int[] ManifestListsReferencing(IReadOnlyList<LifecycleImage> images, Dictionary<string, int> byDigest)
    {
        var listedBy = new int[images.Count];
        Array.Fill(listedBy, -1);
        for (var i = 0; i < images.Count; i++)
        {
            if (!images[i].IsIndex)
            {
                continue;
            }

            foreach (var child in images[i].ChildDigests)
            {
                if (byDigest.TryGetValue(child, out var c) && c != i && listedBy[c] < 0)
                {
                    listedBy[c] = i;
                }
            }
        }

        return listedBy;
    }

    /// <summary>
    /// For each referrer artifact whose subject is in the repository, the subject's index, else -1. Such referrers
    /// are not candidates of any rule; they follow their subject. A referrer whose subject is gone is an ordinary image.
    /// </summary>
    private static int[] PresentSubjects(IReadOnlyList<LifecycleImage> images, Dictionary<string, int> byDigest)
    {
        var subjectOf = new int[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            subjectOf[i] = images[i].SubjectDigest is { } subject && byDigest.TryGetValue(subject, out var s) && s != i ? s : -1;
        }

        return subjectOf;
    }

    /// <summary>
    /// Image indexes sorted newest first by push clock; equal times fall back to the ordinal order of the digests,
    /// so of two images pushed at the same instant the smaller digest counts as the more recent.
    /// </summary>
    private static int[] NewestFirst(IReadOnlyList<LifecycleImage> images)
    {
        var n = images.Count;
        var ticks = new long[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            ticks[i] = LifecycleClocks.Pushed(images[i]).UtcTicks;
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byTime = ticks[b].CompareTo(ticks[a]);
            return byTime != 0 ? byTime : string.CompareOrdinal(images[a].Digest, images[b].Digest);
        });
        return order;
    }

    /// <summary>
    /// How the first rule whose tag selection matched an image treated it. <see cref="Rule"/> and
    /// <see cref="ShieldedFrom"/> are 1-based indexes into the rules (0 = none); <see cref="Rank"/> is the image's
    /// place among that rule's candidates, newest first; <see cref="ShieldedFrom"/> is the first later rule that
    /// would have selected the image.
    /// </summary>
    private record struct Claim(int Rule, int Rank, bool Selected, bool Acted, int ShieldedFrom);
}
