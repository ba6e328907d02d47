using Berth.Domain.Lifecycle;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>Builders for lifecycle tests: a fixed "now", images by age, and policies from rule JSON.</summary>
internal static class LifecycleFixtures
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string Expire = """{"type": "expire"}""";
    public const string Transition = """{"type": "transition", "targetStorageClass": "archive"}""";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    /// <summary>A standard, never-pulled, single-platform image pushed <paramref name="age"/> before <see cref="Now"/>.</summary>
    public static LifecycleImage Image(string digest, string[] tags, TimeSpan age) =>
        new(digest, tags, Now - age, null, null, StorageClass.Standard, ImageManifest, false, [], null);

    /// <summary>An untagged image.</summary>
    public static LifecycleImage Image(string digest, TimeSpan age) => Image(digest, [], age);

    /// <summary>An image archived <paramref name="archivedAgo"/> before <see cref="Now"/>.</summary>
    public static LifecycleImage Archived(string digest, TimeSpan archivedAgo, string[]? tags = null) =>
        Image(digest, tags ?? [], archivedAgo + Days(30)) with { StorageClass = StorageClass.Archive, LastTransitionedAt = Now - archivedAgo };

    public static LifecycleImage Index(string digest, string[] tags, TimeSpan age, params string[] children) =>
        Image(digest, tags, age) with { IsIndex = true, MediaType = ImageIndex, ChildDigests = children };

    public static LifecycleImage Referrer(string digest, string subject, TimeSpan age) =>
        Image(digest, age) with { SubjectDigest = subject };

    /// <summary>One rule as JSON; <paramref name="selection"/> is the selection object's body without braces.</summary>
    public static string Rule(int priority, string selection, string action = Expire) =>
        $$"""{"rulePriority": {{priority}}, "selection": {{{selection}}}, "action": {{action}}}""";

    public static string PolicyText(params string[] rules) => $$"""{"rules": [{{string.Join(", ", rules)}}]}""";

    public static LifecyclePolicy Policy(params string[] rules)
    {
        var result = LifecyclePolicyParser.Parse(PolicyText(rules));
        Assert.True(result.IsSuccess, result.Error);
        return result.Policy;
    }

    public static LifecycleEvaluation Evaluate(LifecyclePolicy policy, params LifecycleImage[] images) =>
        LifecycleEvaluator.Evaluate(policy, images, Now);

    /// <summary>Digests with the given outcome, sorted, for compact assertions.</summary>
    public static string[] With(this LifecycleEvaluation evaluation, LifecycleOutcome outcome) =>
        [.. evaluation.Decisions.Where(d => d.Outcome == outcome).Select(d => d.Digest).Order(StringComparer.Ordinal)];

    public static string[] Expired(this LifecycleEvaluation evaluation) => evaluation.With(LifecycleOutcome.Expire);

    public static string[] Transitioned(this LifecycleEvaluation evaluation) => evaluation.With(LifecycleOutcome.Transition);

    public static LifecycleDecision For(this LifecycleEvaluation evaluation, string digest) =>
        evaluation.DecisionFor(digest) ?? throw new InvalidOperationException($"no decision for {digest}");
}
