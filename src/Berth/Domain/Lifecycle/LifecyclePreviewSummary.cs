namespace Berth.Domain.Lifecycle;

/// <summary>ECR's LifecyclePolicyPreviewSummary: how many images a preview expires and transitions.</summary>
public sealed record LifecyclePreviewSummary(
    int ExpiringImageTotalCount,
    IReadOnlyList<TransitioningImageTotalCount> TransitioningImageTotalCounts);

/// <summary>How many images a preview moves to one target storage class.</summary>
public sealed record TransitioningImageTotalCount(StorageClass TargetStorageClass, int ImageTotalCount);
