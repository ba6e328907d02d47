namespace Berth.Domain.Lifecycle;

/// <summary>Turns an evaluation into what GetLifecyclePolicyPreview reports: the images acted on and the totals.</summary>
public static class LifecyclePreview
{
    /// <summary>
    /// One result per image the evaluation expires or transitions, optionally only tagged or untagged ones, in the
    /// order they would be applied: by rule priority, then oldest first, then by digest.
    /// </summary>
    public static IReadOnlyList<LifecyclePreviewResult> Results(LifecycleEvaluation evaluation, TagStatus filter = TagStatus.Any)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var acted = new List<int>();
        for (var i = 0; i < evaluation.Decisions.Count; i++)
        {
            var tagCount = evaluation.Images[i].Tags.Count;
            var included = filter switch
            {
                TagStatus.Tagged => tagCount > 0,
                TagStatus.Untagged => tagCount == 0,
                _ => true,
            };
            if (included && evaluation.Decisions[i].Outcome != LifecycleOutcome.Keep)
            {
                acted.Add(i);
            }
        }

        acted.Sort((a, b) =>
        {
            var byRule = Priority(evaluation.Decisions[a]).CompareTo(Priority(evaluation.Decisions[b]));
            if (byRule != 0)
            {
                return byRule;
            }

            var byAge = LifecycleClocks.Pushed(evaluation.Images[a]).CompareTo(LifecycleClocks.Pushed(evaluation.Images[b]));
            return byAge != 0 ? byAge : string.CompareOrdinal(evaluation.Images[a].Digest, evaluation.Images[b].Digest);
        });

        var results = new LifecyclePreviewResult[acted.Count];
        for (var k = 0; k < acted.Count; k++)
        {
            var image = evaluation.Images[acted[k]];
            var decision = evaluation.Decisions[acted[k]];
            var action = decision.Outcome == LifecycleOutcome.Expire ? RuleAction.Expire : RuleAction.TransitionToArchive;
            results[k] = new LifecyclePreviewResult(
                image.Digest, image.Tags, image.PushedAt, action, Priority(decision), image.StorageClass);
        }

        return results;
    }

    /// <summary>
    /// Totals over the whole evaluation (not filtered). <see cref="LifecyclePreviewSummary.TransitioningImageTotalCounts"/>
    /// is empty when nothing transitions; ECR then leaves the member out.
    /// </summary>
    public static LifecyclePreviewSummary Summary(LifecycleEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var transitioning = evaluation.Count(LifecycleOutcome.Transition);
        IReadOnlyList<TransitioningImageTotalCount> counts = transitioning == 0
            ? []
            : [new TransitioningImageTotalCount(StorageClass.Archive, transitioning)];
        return new LifecyclePreviewSummary(evaluation.Count(LifecycleOutcome.Expire), counts);
    }

    // Every acted-on image has a rule: its own or, for a referrer, its subject's.
    private static int Priority(LifecycleDecision decision) => decision.RulePriority ?? 0;
}
