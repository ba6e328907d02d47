using System.Security.Cryptography;
using System.Text;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Scanning;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Scan state and findings in ECR's shapes: BASIC findings, and the enhanced (Inspector-shaped) ones.</summary>
public static class ScanMapping
{
    private const int MaxAttributeValue = 256;

    public static ImageScanStatusDto Status(ImageScan scan) => new(scan.Status, scan.Description);

    /// <summary>The summary DescribeImages shows: present once a scan has produced counts.</summary>
    public static ImageScanFindingsSummaryDto? Summary(ImageScan scan) =>
        scan.SeverityCounts is null ? null : new ImageScanFindingsSummaryDto(scan.CompletedAt, scan.SourceUpdatedAt, scan.SeverityCounts);

    public static ImageScanFindingDto Basic(ScanFinding finding)
    {
        var attributes = new List<AttributeDto>
        {
            new("package_version", Clip(finding.PackageVersion)),
            new("package_name", Clip(finding.PackageName)),
        };
        if (finding.CvssVersion == "2.0" && finding.ScoringVector is { } v2)
        {
            attributes.Add(new AttributeDto("CVSS2_VECTOR", Clip(v2)));
        }
        else if (finding.ScoringVector is { } v3)
        {
            attributes.Add(new AttributeDto("CVSS3_VECTOR", Clip(v3)));
            if (finding.Score is { } score)
            {
                attributes.Add(new AttributeDto("CVSS3_SCORE", score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (finding.FixedInVersion is { } fixedIn)
        {
            attributes.Add(new AttributeDto("fixed_in_version", Clip(fixedIn)));
        }

        return new ImageScanFindingDto(finding.Name, finding.Description, finding.Uri, finding.Severity, attributes);
    }

    public static EnhancedImageScanFindingDto Enhanced(ScanFinding finding, RepositoryKey repository, ImageRecord image, ImageScan scan)
    {
        var packages = new List<VulnerablePackageDto>(finding.Packages.Count);
        var fixes = 0;
        foreach (var p in finding.Packages)
        {
            packages.Add(new VulnerablePackageDto(p.Arch, p.FilePath, p.Name, p.PackageManager, p.LayerDigest, p.Version, p.FixedInVersion));
            fixes += p.FixedInVersion is null ? 0 : 1;
        }

        var related = new List<string>();
        foreach (var alias in finding.Aliases.Append(finding.AdvisoryId))
        {
            if (alias != finding.Name && !related.Contains(alias))
            {
                related.Add(alias);
            }
        }

        var cvss = finding.ScoringVector is null ? [] : new List<CvssScoreDto> { new(finding.Score, finding.ScoringVector, finding.Ecosystem, finding.CvssVersion) };
        var imageArn = $"{RepositoryArn.Format(repository)}/{image.Digest}";
        return new EnhancedImageScanFindingDto(
            repository.AccountId,
            finding.Description,
            $"arn:{RepositoryArn.Partition(repository.Region)}:inspector2:{repository.Region}:{repository.AccountId}:finding/{FindingId(imageArn, finding)}",
            scan.CompletedAt,
            scan.CompletedAt,
            new PackageVulnerabilityDetailsDto(
                cvss, finding.References, related, finding.Ecosystem, finding.Uri, finding.Published, finding.Severity, finding.Modified, finding.Name, packages),
            new RemediationDto(new RecommendationDto(
                null,
                finding.FixedInVersion is { } fixedIn ? $"Upgrade {finding.PackageName} to version {fixedIn} or later." : "None Provided")),
            [new ResourceDto(
                new ResourceDetailsDto(new AwsEcrContainerImageDetailsDto(image.Digest.ToString(), image.Tags, image.PushedAt, repository.AccountId, repository.Name)),
                imageArn,
                "AWS_ECR_CONTAINER_IMAGE")],
            finding.Score,
            finding.Score is { } score && finding.ScoringVector is { } vector
                ? new ScoreDetailsDto(new CvssScoreDetailsDto(score, finding.Ecosystem, vector, finding.CvssVersion ?? "3.1"))
                : null,
            finding.Severity,
            "ACTIVE",
            $"{finding.Name} - {finding.PackageName}",
            "PACKAGE_VULNERABILITY",
            scan.CompletedAt,
            fixes == 0 ? "NO" : fixes == packages.Count ? "YES" : "PARTIAL");
    }

    /// <summary>A stable id per image, advisory and package, so a finding keeps its ARN across rescans.</summary>
    private static string FindingId(string imageArn, ScanFinding finding) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{imageArn}\n{finding.AdvisoryId}\n{finding.PackageName}")))[..32];

    private static string Clip(string value) => value.Length <= MaxAttributeValue ? value : value[..MaxAttributeValue];
}
