namespace Berth.Domain.Events;

/// <summary>
/// What one pull-through fetch came to, for its "ECR Pull Through Cache Action" event: the rule's prefix and upstream,
/// the tag asked for (null when pulled by digest), the image's digest when known, and why it failed (null on success).
/// </summary>
public sealed record PullThroughSync(string EcrRepositoryPrefix, string UpstreamRegistryUrl, string? Tag, Digest? Digest, DomainError? Failure);
