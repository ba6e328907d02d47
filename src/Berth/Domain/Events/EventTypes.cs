namespace Berth.Domain.Events;

/// <summary>The EventBridge detail-types ECR sends that Berth produces.</summary>
public static class EventTypes
{
    public const string ImageAction = "ECR Image Action";
    public const string LifecyclePolicyAction = "ECR Lifecycle Policy Action";
    public const string ReplicationAction = "ECR Replication Action";

    /// <summary>Every type a webhook's <c>Types</c> may name.</summary>
    public static IReadOnlyList<string> All { get; } = [ImageAction, LifecyclePolicyAction, ReplicationAction];
}
