namespace Berth.Domain.Scanning;

/// <summary>A registry's scanning configuration (PutRegistryScanningConfiguration).</summary>
public sealed record RegistryScanningConfiguration(string ScanType, IReadOnlyList<ScanningRule> Rules)
{
    public const string Basic = "BASIC", Enhanced = "ENHANCED";

    /// <summary>What a registry that never set one has.</summary>
    public static readonly RegistryScanningConfiguration Default = new(Basic, []);
}

/// <summary>One rule: a frequency and its WILDCARD repository filters.</summary>
public sealed record ScanningRule(string ScanFrequency, IReadOnlyList<string> Filters);

/// <summary>ECR's scan frequencies.</summary>
public static class ScanFrequency
{
    public const string OnPush = "SCAN_ON_PUSH", Continuous = "CONTINUOUS_SCAN", Manual = "MANUAL";
}

/// <summary>ECR's scan statuses (ecr-semantics §9.4).</summary>
public static class ScanStatus
{
    public const string InProgress = "IN_PROGRESS", Complete = "COMPLETE", Failed = "FAILED", UnsupportedImage = "UNSUPPORTED_IMAGE",
        Active = "ACTIVE", Pending = "PENDING", EligibilityExpired = "SCAN_ELIGIBILITY_EXPIRED", FindingsUnavailable = "FINDINGS_UNAVAILABLE",
        LimitExceeded = "LIMIT_EXCEEDED", ImageArchived = "IMAGE_ARCHIVED";

    /// <summary>Whether a scan in this status is waiting for the scanner.</summary>
    public static bool IsQueued(string status) => status is InProgress or Pending;
}

/// <summary>An image's latest scan.</summary>
public sealed record ImageScan(
    Digest Digest,
    string Status,
    string? Description,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? SourceUpdatedAt,
    IReadOnlyDictionary<string, int>? SeverityCounts,
    string? FindingsJson);

/// <summary>A scan waiting for the scanner.</summary>
public sealed record QueuedScan(RepositoryKey Repository, Digest Digest, DateTimeOffset RequestedAt, string Status);

/// <summary>What a scan ended with; counts and findings only when it produced findings.</summary>
public sealed record ScanResult(
    string Status,
    string? Description,
    DateTimeOffset CompletedAt,
    DateTimeOffset? SourceUpdatedAt,
    IReadOnlyDictionary<string, int>? SeverityCounts,
    string? FindingsJson);

/// <summary>The current vulnerability database.</summary>
public sealed record VulnerabilityDatabase(long Version, DateTimeOffset ImportedAt, string Source, int Advisories, DateTimeOffset? UpdatedAt, bool Rescanned);

/// <summary>One advisory to import: its id, its OSV document, and the (ecosystem, package) pairs it names.</summary>
public sealed record VulnerabilityEntry(string Id, string Document, IReadOnlyList<(string Ecosystem, string Name)> Packages);
