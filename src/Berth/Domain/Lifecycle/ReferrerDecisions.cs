namespace Berth.Domain.Lifecycle;

/// <summary>
/// Decisions for referrer artifacts whose subject is in the repository: they share their subject's fate in this
/// evaluation (expired with it, archived with it) instead of being judged by the rules on their own.
/// </summary>
internal static class ReferrerDecisions
{
    /// <summary>Fills the null entries of <paramref name="decisions"/>: those of images with a present subject.</summary>
    public static void Fill(IReadOnlyList<LifecycleImage> images, int[] subjectOf, int[] listedBy, LifecycleDecision?[] decisions)
    {
        var chain = new List<int>();
        var onChain = new int[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            if (decisions[i] is not null)
            {
                continue;
            }

            // Walk up to the first subject already decided (a signature of an SBOM of an image is a chain of two),
            // then decide the chain from the top down. Digests name content, so a loop can only come from bad input.
            chain.Clear();
            var j = i;
            while (decisions[j] is null && onChain[j] != i + 1)
            {
                onChain[j] = i + 1;
                chain.Add(j);
                j = subjectOf[j];
            }

            for (var k = chain.Count - 1; k >= 0; k--)
            {
                var referrer = chain[k];
                var subject = subjectOf[referrer];
                decisions[referrer] = Follow(images, referrer, subject, decisions[subject], listedBy[referrer]);
            }
        }
    }

    private static LifecycleDecision Follow(
        IReadOnlyList<LifecycleImage> images, int referrer, int subject, LifecycleDecision? subjectDecision, int listedBy)
    {
        var image = images[referrer];
        var subjectDigest = images[subject].Digest;
        if (listedBy >= 0)
        {
            return new LifecycleDecision(
                image.Digest, LifecycleOutcome.Keep, null, $"kept: referenced by manifest list {images[listedBy].Digest}, which must be deleted first");
        }

        if (subjectDecision is null)
        {
            return new LifecycleDecision(image.Digest, LifecycleOutcome.Keep, null, "kept: its chain of subjects loops back to itself");
        }

        var priority = subjectDecision.RulePriority;
        return subjectDecision.Outcome switch
        {
            LifecycleOutcome.Expire => new LifecycleDecision(
                image.Digest, LifecycleOutcome.Expire, priority, $"follows its subject {subjectDigest}, which rule {priority} expires"),
            LifecycleOutcome.Transition when image.StorageClass == StorageClass.Standard => new LifecycleDecision(
                image.Digest, LifecycleOutcome.Transition, priority, $"follows its subject {subjectDigest}, which rule {priority} transitions to archive"),
            LifecycleOutcome.Transition => new LifecycleDecision(
                image.Digest, LifecycleOutcome.Keep, priority, $"kept: already archived, like its subject {subjectDigest} which rule {priority} transitions"),
            _ => new LifecycleDecision(image.Digest, LifecycleOutcome.Keep, priority, $"kept: follows its subject {subjectDigest}, which is kept"),
        };
    }
}
