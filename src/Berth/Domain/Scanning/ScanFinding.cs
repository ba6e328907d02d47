namespace Berth.Domain.Scanning;

/// <summary>
/// One vulnerability found in one package (by its advisory's source package), with everything both of ECR's finding
/// shapes report.
/// </summary>
public sealed record ScanFinding(
    string Name,
    string AdvisoryId,
    string? Title,
    string? Description,
    string? Uri,
    string Severity,
    string PackageName,
    string PackageVersion,
    string Ecosystem,
    string? FixedInVersion,
    double? Score,
    string? ScoringVector,
    string? CvssVersion,
    IReadOnlyList<string> References,
    IReadOnlyList<string> Aliases,
    DateTimeOffset? Published,
    DateTimeOffset? Modified,
    IReadOnlyList<FindingPackage> Packages);

/// <summary>An installed package a finding covers.</summary>
public sealed record FindingPackage(
    string Name,
    string Version,
    string? Arch,
    string PackageManager,
    string FilePath,
    string LayerDigest,
    string? FixedInVersion);
