using Berth.Domain;
using Berth.Domain.Repositories;
using Berth.Ecr.Contracts;
using Berth.Hosting;

namespace Berth.Ecr.Operations;

/// <summary>CreateRepository, DescribeRepositories, DeleteRepository and the repository settings operations.</summary>
public sealed class RepositoryOperations(RepositoryService repositories, RegistryAddress address)
{
    private const int DefaultPageSize = 100;

    public async Task<EcrResult> CreateRepositoryAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.CreateRepositoryRequest);
        var scope = request.Scope;

        var created = await repositories.CreateAsync(
            scope.Repository(input.RepositoryName),
            RepositoryMapping.ToSettings(input),
            RepositoryMapping.FromTagDtos(input.Tags),
            request.CancellationToken);
        return created.IsSuccess ? Answer(created.Value) : created.Error!;
    }

    public async Task<EcrResult> DescribeRepositoriesAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribeRepositoriesRequest);
        var scope = request.Scope;

        if (input.RepositoryNames is { } names)
        {
            if (input.NextToken is not null || input.MaxResults is not null)
            {
                return DomainError.InvalidParameter("repositoryNames", "nextToken and maxResults cannot be used together with repositoryNames");
            }

            var found = await repositories.GetManyAsync(scope, names, request.CancellationToken);
            return found.IsSuccess ? Describe(found.Value, null) : found.Error!;
        }

        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var page = await repositories.ListAsync(scope, after, input.MaxResults ?? DefaultPageSize, request.CancellationToken);
        return Describe(page.Items, page.NextKey is null ? null : PaginationToken.Encode(request.Operation.Name, page.NextKey));
    }

    public async Task<EcrResult> DeleteRepositoryAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DeleteRepositoryRequest);
        var scope = request.Scope;

        var deleted = await repositories.DeleteAsync(scope.Repository(input.RepositoryName), input.Force ?? false, request.CancellationToken);
        return deleted.IsSuccess ? Answer(deleted.Value) : deleted.Error!;
    }

    public async Task<EcrResult> PutImageTagMutabilityAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutImageTagMutabilityRequest);
        var scope = request.Scope;

        var updated = await repositories.SetTagMutabilityAsync(
            scope.Repository(input.RepositoryName),
            TagMutabilityNames.FromWire(input.ImageTagMutability),
            RepositoryMapping.FromFilterDtos(input.ImageTagMutabilityExclusionFilters),
            request.CancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        var repository = updated.Value;
        return EcrResult.Ok(
            new PutImageTagMutabilityResponse(
                scope.AccountId,
                repository.Key.Name,
                TagMutabilityNames.ToWire(repository.Mutability),
                RepositoryMapping.ToFilterDtos(repository.MutabilityExclusionFilters)),
            EcrJsonContext.Default.PutImageTagMutabilityResponse);
    }

    public async Task<EcrResult> PutImageScanningConfigurationAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutImageScanningConfigurationRequest);
        var scope = request.Scope;

        var updated = await repositories.SetScanOnPushAsync(
            scope.Repository(input.RepositoryName),
            input.ImageScanningConfiguration.ScanOnPush ?? false,
            request.CancellationToken);
        return updated.IsSuccess
            ? EcrResult.Ok(
                new PutImageScanningConfigurationResponse(scope.AccountId, input.RepositoryName, new ImageScanningConfigurationDto(updated.Value.ScanOnPush)),
                EcrJsonContext.Default.PutImageScanningConfigurationResponse)
            : updated.Error!;
    }

    private EcrResult Answer(Repository repository) =>
        EcrResult.Ok(new RepositoryResponse(RepositoryMapping.ToDto(repository, address)), EcrJsonContext.Default.RepositoryResponse);

    private EcrResult Describe(IReadOnlyList<Repository> items, string? nextToken)
    {
        var dtos = new RepositoryDto[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            dtos[i] = RepositoryMapping.ToDto(items[i], address);
        }

        return EcrResult.Ok(new DescribeRepositoriesResponse(dtos, nextToken), EcrJsonContext.Default.DescribeRepositoriesResponse);
    }
}
