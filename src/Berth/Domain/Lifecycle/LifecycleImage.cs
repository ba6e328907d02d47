namespace Berth.Domain.Lifecycle;

/// <summary>
/// What the evaluator needs to know about one image of a repository. <see cref="LastTransitionedAt"/> is when the
/// image was last archived; <see cref="ChildDigests"/> lists the manifests an index or manifest list references;
/// <see cref="SubjectDigest"/> is set for referrer artifacts (signatures, SBOMs, attestations).
/// </summary>
public sealed record LifecycleImage(
    string Digest,
    IReadOnlyList<string> Tags,
    DateTimeOffset PushedAt,
    DateTimeOffset? LastPulledAt,
    DateTimeOffset? LastTransitionedAt,
    StorageClass StorageClass,
    string MediaType,
    bool IsIndex,
    IReadOnlyList<string> ChildDigests,
    string? SubjectDigest)
{
    /// <summary>When the image was last restored from archive; its push and pull clocks restart then.</summary>
    public DateTimeOffset? LastActivatedAt { get; init; }
}
