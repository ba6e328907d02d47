using Berth.Domain.Lifecycle;

namespace Berth.Domain.Events;

/// <summary>
/// The images one lifecycle run expired together in a repository, with the policy that expired them: the policy's
/// rules and text (its id is derived from the text) and when it was last evaluated before this run.
/// </summary>
public sealed record LifecycleRunEvent(
    IReadOnlyList<LifecycleRule> Rules, string PolicyText, DateTimeOffset? LastEvaluatedAt, IReadOnlyList<ExpiredImage> Images);

/// <summary>One expired image as the run saw it: its tags and push time, and the priority of the rule that expired it.</summary>
public sealed record ExpiredImage(Digest Digest, IReadOnlyList<string> Tags, DateTimeOffset PushedAt, int RulePriority);
