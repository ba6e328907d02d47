namespace Berth.Domain.Lifecycle;

/// <summary>A validated lifecycle policy: 1 to 50 rules with unique priorities, sorted by priority.</summary>
public sealed record LifecyclePolicy(IReadOnlyList<LifecycleRule> Rules);
