using Berth.Domain.Images;

namespace Berth.Domain;

/// <summary>Lifecycle policies, their previews, and what the lifecycle evaluator reads and changes.</summary>
public interface ILifecycleStore
{
    Task<LifecyclePolicyRecord?> GetPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Stores the text exactly as sent; false when the repository does not exist.</summary>
    Task<bool> PutPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken);

    /// <summary>Removes and returns the policy, or null when there was none.</summary>
    Task<LifecyclePolicyRecord?> DeletePolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    Task MarkEvaluatedAsync(RepositoryKey repository, DateTimeOffset evaluatedAt, CancellationToken cancellationToken);

    /// <summary>Every repository (any account or region) that has a lifecycle policy.</summary>
    Task<IReadOnlyList<RepositoryKey>> ListRepositoriesWithPolicyAsync(CancellationToken cancellationToken);

    /// <summary>Every image of the repository with what lifecycle rules look at; no manifest bytes.</summary>
    Task<IReadOnlyList<LifecycleImageRecord>> ListImagesForLifecycleAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Moves an image between storage classes; false when it does not exist.</summary>
    Task<bool> SetStorageClassAsync(RepositoryKey repository, Digest digest, ImageStorageClass storageClass, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Starts a preview unless one is in progress (and younger than <paramref name="staleAfter"/>).</summary>
    Task<PreviewStartOutcome> StartPreviewAsync(RepositoryKey repository, string policyText, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Stores a finished preview's results and marks it complete.</summary>
    Task CompletePreviewAsync(RepositoryKey repository, IReadOnlyList<PreviewResultRecord> results, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    /// <summary>Marks a preview failed (the evaluator threw); its results stay empty.</summary>
    Task FailPreviewAsync(RepositoryKey repository, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    Task<PreviewRecord?> GetPreviewAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Preview results ordered by digest after <paramref name="afterDigest"/>, optionally only tagged or untagged ones.</summary>
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
