using Berth.Domain.Images;
using Berth.Domain.Signing;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Managed signing: the registry's signing configuration and each image's signing status.</summary>
public sealed class SigningOperations(SigningService signing, ImageService images)
{
    public async Task<EcrResult> PutSigningConfigurationAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutSigningConfigurationRequest);
        var put = await signing.PutConfigurationAsync(request.Scope, ToDomain(input.SigningConfiguration), request.CancellationToken);
        return put.IsSuccess
            ? EcrResult.Ok(new PutSigningConfigurationResponse(ToDto(put.Value)), EcrJsonContext.Default.PutSigningConfigurationResponse)
            : put.Error!;
    }

    public async Task<EcrResult> GetSigningConfigurationAsync(EcrRequest request) =>
        Answer(request, await signing.GetConfigurationAsync(request.Scope, request.CancellationToken));

    public async Task<EcrResult> DeleteSigningConfigurationAsync(EcrRequest request) =>
        Answer(request, await signing.DeleteConfigurationAsync(request.Scope, request.CancellationToken));

    public async Task<EcrResult> DescribeImageSigningStatusAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribeImageSigningStatusRequest);
        var repository = request.Scope.Repository(input.RepositoryName);
        var found = await images.DescribeOneAsync(repository, ImageMapping.FromDto(input.ImageId), request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var jobs = await signing.StatusesAsync(repository, found.Value.Digest, request.CancellationToken);
        var statuses = new List<ImageSigningStatusDto>(jobs.Count);
        foreach (var job in jobs)
        {
            statuses.Add(new ImageSigningStatusDto(job.ProfileArn, StatusName(job.Status), job.FailureCode, job.FailureReason));
        }

        return EcrResult.Ok(
            new DescribeImageSigningStatusResponse(
                repository.Name,
                new ImageIdentifierDto(found.Value.Digest.ToString(), input.ImageId.ImageTag),
                repository.AccountId,
                statuses),
            EcrJsonContext.Default.DescribeImageSigningStatusResponse);
    }

    private static EcrResult Answer(EcrRequest request, Domain.Result<SigningConfiguration> configuration) =>
        configuration.IsSuccess
            ? EcrResult.Ok(new SigningConfigurationResponse(request.Scope.AccountId, ToDto(configuration.Value)), EcrJsonContext.Default.SigningConfigurationResponse)
            : configuration.Error!;

    private static string StatusName(ImageSigningStatus status) => status switch
    {
        ImageSigningStatus.Complete => "COMPLETE",
        ImageSigningStatus.Failed => "FAILED",
        _ => "IN_PROGRESS",
    };

    private static SigningConfiguration ToDomain(SigningConfigurationDto dto) => new(
        dto.Rules.Select(rule => new SigningRule(
            rule.SigningProfileArn,
            rule.RepositoryFilters?.Select(f => new SigningRepositoryFilter(f.Filter, f.FilterType)).ToArray())).ToArray());

    private static SigningConfigurationDto ToDto(SigningConfiguration configuration) => new(
        configuration.Rules.Select(rule => new SigningRuleDto(
            rule.SigningProfileArn,
            rule.RepositoryFilters?.Select(f => new SigningRepositoryFilterDto(f.Filter, f.FilterType)).ToArray())).ToArray());
}
