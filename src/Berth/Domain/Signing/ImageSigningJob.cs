namespace Berth.Domain.Signing;

/// <summary>
/// Signing one image with one profile: queued when the push is stored, then done by the background signer. Its state
/// is what DescribeImageSigningStatus reports.
/// </summary>
public sealed record ImageSigningJob(
    RepositoryKey Repository,
    Digest Digest,
    string ProfileArn,
    ImageSigningStatus Status,
    string? FailureCode,
    string? FailureReason,
    DateTimeOffset QueuedAt);

/// <summary>ECR's SigningStatus values.</summary>
public enum ImageSigningStatus
{
    InProgress,
    Complete,
    Failed,
}
