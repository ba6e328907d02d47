namespace Berth.Domain.Lifecycle;

/// <summary>What GetLifecyclePolicyPreview reports of a preview: the stored status, or expired once its results are too old.</summary>
public enum LifecyclePreviewState
{
    InProgress,
    Complete,
    Failed,
    Expired,
}
