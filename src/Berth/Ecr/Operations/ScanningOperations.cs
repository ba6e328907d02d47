using System.Globalization;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Scanning;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Registry and repository scanning configuration, StartImageScan and DescribeImageScanFindings.</summary>
public sealed class ScanningOperations(ScanService scans)
{
    private const int DefaultPageSize = 100;

    public async Task<EcrResult> PutRegistryScanningConfigurationAsync(EcrRequest request)
    {
        var input = request.Bind(ScanningJsonContext.Default.PutRegistryScanningConfigurationRequest);
        var rules = new List<ScanningRule>();
        foreach (var rule in input.Rules ?? [])
        {
            rules.Add(new ScanningRule(rule.ScanFrequency, [.. rule.RepositoryFilters.Select(static f => f.Filter)]));
        }

        var stored = await scans.PutConfigurationAsync(
            request.Scope, new RegistryScanningConfiguration(input.ScanType ?? RegistryScanningConfiguration.Basic, rules), request.CancellationToken);
        return stored.IsSuccess
            ? EcrResult.Ok(new PutRegistryScanningConfigurationResponse(ToDto(stored.Value)), ScanningJsonContext.Default.PutRegistryScanningConfigurationResponse)
            : stored.Error!;
    }

    public async Task<EcrResult> GetRegistryScanningConfigurationAsync(EcrRequest request)
    {
        var configuration = await scans.GetConfigurationAsync(request.Scope, request.CancellationToken);
        return EcrResult.Ok(
            new GetRegistryScanningConfigurationResponse(request.Scope.AccountId, ToDto(configuration)),
            ScanningJsonContext.Default.GetRegistryScanningConfigurationResponse);
    }

    public async Task<EcrResult> BatchGetRepositoryScanningConfigurationAsync(EcrRequest request)
    {
        var input = request.Bind(ScanningJsonContext.Default.BatchGetRepositoryScanningConfigurationRequest);
        var (found, missing) = await scans.BatchGetAsync(request.Scope, input.RepositoryNames, request.CancellationToken);
        var configurations = new List<RepositoryScanningConfigurationDto>(found.Count);
        foreach (var (repository, applied) in found)
        {
            configurations.Add(new RepositoryScanningConfigurationDto(
                RepositoryArn.Format(repository.Key), repository.Key.Name, applied.ScanOnPush, applied.ScanFrequency, Filters(applied.Filters)));
        }

        var failures = new List<RepositoryScanningConfigurationFailureDto>(missing.Count);
        foreach (var name in missing)
        {
            failures.Add(new RepositoryScanningConfigurationFailureDto(name, "REPOSITORY_NOT_FOUND", "REPOSITORY_NOT_FOUND"));
        }

        return EcrResult.Ok(
            new BatchGetRepositoryScanningConfigurationResponse(configurations, failures),
            ScanningJsonContext.Default.BatchGetRepositoryScanningConfigurationResponse);
    }

    public async Task<EcrResult> StartImageScanAsync(EcrRequest request)
    {
        var input = request.Bind(ScanningJsonContext.Default.StartImageScanRequest);
        var repository = request.Scope.Repository(input.RepositoryName);
        var started = await scans.StartAsync(repository, new ImageId(input.ImageId.ImageDigest, input.ImageId.ImageTag), request.CancellationToken);
        return started.IsSuccess
            ? EcrResult.Ok(
                new StartImageScanResponse(
                    repository.AccountId, repository.Name, ImageIdOf(started.Value, input.ImageId), new ImageScanStatusDto(ScanStatus.InProgress, null)),
                ScanningJsonContext.Default.StartImageScanResponse)
            : started.Error!;
    }

    public async Task<EcrResult> DescribeImageScanFindingsAsync(EcrRequest request)
    {
        var input = request.Bind(ScanningJsonContext.Default.DescribeImageScanFindingsRequest);
        var offset = 0;
        if (input.NextToken is { } token)
        {
            if (!PaginationToken.TryDecode(request.Operation.Name, token, out var key) || !int.TryParse(key, CultureInfo.InvariantCulture, out offset) || offset < 0)
            {
                return PaginationToken.Invalid();
            }
        }

        var repository = request.Scope.Repository(input.RepositoryName);
        var found = await scans.FindingsAsync(repository, new ImageId(input.ImageId.ImageDigest, input.ImageId.ImageTag), request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (image, scan) = found.Value;
        ImageScanFindingsDto? findings = null;
        string? next = null;
        if (scan.FindingsJson is { } json)
        {
            var all = ScanJson.Findings(json);
            var size = input.MaxResults ?? DefaultPageSize;
            var page = all.Skip(offset).Take(size).ToList();
            next = offset + size < all.Count ? PaginationToken.Encode(request.Operation.Name, (offset + size).ToString(CultureInfo.InvariantCulture)) : null;
            var enhanced = (await scans.GetConfigurationAsync(request.Scope, request.CancellationToken)).ScanType == RegistryScanningConfiguration.Enhanced;
            findings = new ImageScanFindingsDto(
                scan.CompletedAt,
                scan.SourceUpdatedAt,
                scan.SeverityCounts,
                enhanced ? null : [.. page.Select(ScanMapping.Basic)],
                enhanced ? [.. page.Select(f => ScanMapping.Enhanced(f, repository, image, scan))] : null);
        }

        return EcrResult.Ok(
            new DescribeImageScanFindingsResponse(repository.AccountId, repository.Name, ImageIdOf(image, input.ImageId), ScanMapping.Status(scan), findings, next),
            ScanningJsonContext.Default.DescribeImageScanFindingsResponse);
    }

    private static ImageIdentifierDto ImageIdOf(ImageRecord image, ImageIdentifierDto asked) => new(image.Digest.ToString(), asked.ImageTag);

    private static RegistryScanningConfigurationDto ToDto(RegistryScanningConfiguration configuration) =>
        new(configuration.ScanType, [.. configuration.Rules.Select(static r => new RegistryScanningRuleDto(r.ScanFrequency, Filters(r.Filters)))]);

    private static List<ScanningRepositoryFilterDto> Filters(IReadOnlyList<string> filters) =>
        [.. filters.Select(static f => new ScanningRepositoryFilterDto(f, "WILDCARD"))];
}
