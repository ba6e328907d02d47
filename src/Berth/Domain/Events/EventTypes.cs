namespace Berth.Domain.Events;

/// <summary>The EventBridge detail-types ECR sends that Berth produces.</summary>
public static class EventTypes
{
    public const string ImageAction = "ECR Image Action";
    public const string ImageScan = "ECR Image Scan";
    public const string PullThroughCacheAction = "ECR Pull Through Cache Action";
    public const string ReplicationAction = "ECR Replication Action";

    /// <summary>
    /// How lifecycle expiries reach EventBridge: ECR has no event of its own for them, only the CloudTrail service
    /// event <c>PolicyExecutionEvent</c>, which CloudTrail forwards under this detail-type.
    /// </summary>
    public const string ServiceEventViaCloudTrail = "AWS Service Event via CloudTrail";

    /// <summary>
    /// The detail-type Berth once sent per expired image. ECR has no such event, so a webhook naming it is refused
    /// with a pointer to <see cref="ServiceEventViaCloudTrail"/>.
    /// </summary>
    public const string FormerLifecyclePolicyAction = "ECR Lifecycle Policy Action";

    /// <summary>Every type a webhook's <c>Types</c> may name.</summary>
    public static IReadOnlyList<string> All { get; } = [ImageAction, ImageScan, PullThroughCacheAction, ReplicationAction, ServiceEventViaCloudTrail];

    /// <summary>
    /// Whether events of <paramref name="type"/> name the repository's ARN in <c>resources</c>: ECR leaves it empty on
    /// image actions and CloudTrail forwards service events with none (the repository is in the CloudTrail record).
    /// </summary>
    public static bool NamesRepositoryResource(string type) => type is ImageScan or PullThroughCacheAction or ReplicationAction;
}
