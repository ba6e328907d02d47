namespace Berth.Domain.Lifecycle;

/// <summary>
/// The evaluator's verdict on one image. <see cref="RulePriority"/> is the rule that acted, or for
/// <see cref="LifecycleOutcome.Keep"/> the rule whose tag selection claimed the image (null when no rule did);
/// <see cref="Reason"/> explains the verdict to a person.
/// </summary>
public sealed record LifecycleDecision(string Digest, LifecycleOutcome Outcome, int? RulePriority, string Reason);
