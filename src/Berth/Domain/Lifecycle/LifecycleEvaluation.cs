namespace Berth.Domain.Lifecycle;

/// <summary>One run of a policy over a repository: a decision per image, in the order the images were given.</summary>
public sealed record LifecycleEvaluation(
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<LifecycleImage> Images,
    IReadOnlyList<LifecycleDecision> Decisions)
{
    /// <summary>The decision for a digest (a linear search), or null when the image was not evaluated.</summary>
    public LifecycleDecision? DecisionFor(string digest)
    {
        for (var i = 0; i < Decisions.Count; i++)
        {
            if (string.Equals(Decisions[i].Digest, digest, StringComparison.Ordinal))
            {
                return Decisions[i];
            }
        }

        return null;
    }

    public int Count(LifecycleOutcome outcome)
    {
        var count = 0;
        for (var i = 0; i < Decisions.Count; i++)
        {
            if (Decisions[i].Outcome == outcome)
            {
                count++;
            }
        }

        return count;
    }
}
