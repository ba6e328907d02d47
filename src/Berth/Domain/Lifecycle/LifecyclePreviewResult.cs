namespace Berth.Domain.Lifecycle;

/// <summary>
/// One image a preview would act on (ECR's LifecyclePolicyPreviewResult); <see cref="StorageClass"/> is where the
/// image is now.
/// </summary>
public sealed record LifecyclePreviewResult(
    string ImageDigest,
    IReadOnlyList<string> ImageTags,
    DateTimeOffset ImagePushedAt,
    RuleAction Action,
    int AppliedRulePriority,
    StorageClass StorageClass);
