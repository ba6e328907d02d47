namespace Berth.Domain.Lifecycle;

/// <summary>One rule of a lifecycle policy; lower priorities are applied first.</summary>
public sealed record LifecycleRule(int Priority, string? Description, RuleSelection Selection, RuleAction Action);
