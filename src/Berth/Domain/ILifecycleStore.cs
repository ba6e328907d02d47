using Berth.Domain.Images;

namespace Berth.Domain;

/// <summary>Lifecycle policies, their previews, and what the lifecycle evaluator reads and changes.</summary>
public interface ILifecycleStore
{
    /// <summary>The repository's policy with when it was last evaluated; null when it has none or does not exist.</summary>
    Task<LifecyclePolicyRecord?> GetPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Stores the text exactly as sent, replacing any policy; false when the repository does not exist.</summary>
    Task<bool> PutPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken);

    /// <summary>Removes and returns the policy, or null when there was none.</summary>
    Task<LifecyclePolicyRecord?> DeletePolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Records when the policy was last evaluated; nothing happens when the repository has no policy.</summary>
    Task MarkEvaluatedAsync(RepositoryKey repository, DateTimeOffset evaluatedAt, CancellationToken cancellationToken);

    /// <summary>Every repository (any account or region) that has a lifecycle policy.</summary>
    Task<IReadOnlyList<RepositoryKey>> ListRepositoriesWithPolicyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every image of the repository, ordered by digest, with its tags in ordinal order, its child manifests and what
    /// else lifecycle rules look at; no manifest bytes. Empty when the repository does not exist.
    /// </summary>
    Task<IReadOnlyList<LifecycleImageRecord>> ListImagesForLifecycleAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an image between storage classes, setting its last-archived time (to ARCHIVE) or last-activated time (to
    /// STANDARD) to <paramref name="at"/>; false when the repository or image does not exist.
    /// </summary>
    Task<bool> SetStorageClassAsync(RepositoryKey repository, Digest digest, ImageStorageClass storageClass, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a preview, dropping the previous one and its results, unless one is in progress and started less than
    /// <paramref name="staleAfter"/> before <paramref name="now"/> (one left by a crash is replaced once stale).
    /// </summary>
    Task<PreviewStartOutcome> StartPreviewAsync(RepositoryKey repository, string policyText, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Stores a finished preview's results and marks it complete, counting expiring and transitioning results.</summary>
    Task CompletePreviewAsync(RepositoryKey repository, IReadOnlyList<PreviewResultRecord> results, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    /// <summary>Marks a preview failed (the evaluator threw); its results stay empty.</summary>
    Task FailPreviewAsync(RepositoryKey repository, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    /// <summary>The repository's latest preview; null when none was started or the repository does not exist.</summary>
    Task<PreviewRecord?> GetPreviewAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>
    /// Preview results ordered by digest strictly after <paramref name="afterDigest"/>, optionally only tagged or
    /// untagged ones; the next key is the last digest of a full page with more after it. Empty for a missing repository.
    /// </summary>
    Task<Page<PreviewResultRecord>> ListPreviewResultsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken);
}

public sealed record LifecyclePolicyRecord(string Text, DateTimeOffset? LastEvaluatedAt);

/// <summary>An image as lifecycle rules see it.</summary>
public sealed record LifecycleImageRecord(
    Digest Digest,
    IReadOnlyList<string> Tags,
    DateTimeOffset PushedAt,
    DateTimeOffset? LastPulledAt,
    DateTimeOffset? LastArchivedAt,
    ImageStorageClass StorageClass,
    string MediaType,
    IReadOnlyList<Digest> ChildDigests,
    Digest? Subject)
{
    /// <summary>When the image was last restored from archive; lifecycle clocks restart then.</summary>
    public DateTimeOffset? LastActivatedAt { get; init; }
}

public enum PreviewStartOutcome
{
    Started,
    InProgress,
    RepositoryNotFound,
}

public enum PreviewStatus
{
    InProgress,
    Complete,
    Failed,
}

public sealed record PreviewRecord(string PolicyText, PreviewStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt)
{
    public int ExpiringCount { get; init; }

    public int TransitioningCount { get; init; }
}

/// <summary>One image a preview would act on.</summary>
public sealed record PreviewResultRecord(
    Digest Digest,
    IReadOnlyList<string> Tags,
    DateTimeOffset PushedAt,
    bool Transition,
    int RulePriority,
    ImageStorageClass StorageClass);
