using Berth.Domain;
using Berth.Domain.Repositories;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>TagResource, UntagResource and ListTagsForResource on repository ARNs.</summary>
public sealed class TaggingOperations(RepositoryService repositories)
{
    public async Task<EcrResult> TagResourceAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.TagResourceRequest);
        var key = request.Resource.Repository;
        if (!IsLocal(request, key))
        {
            return DomainError.RepositoryNotFound(key);
        }

        var failed = await repositories.TagAsync(key, RepositoryMapping.FromTagDtos(input.Tags), request.CancellationToken);
        return failed is null ? EcrResult.Ok(new EmptyDto(), EcrJsonContext.Default.EmptyDto) : failed;
    }

    public async Task<EcrResult> UntagResourceAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.UntagResourceRequest);
        var key = request.Resource.Repository;
        if (!IsLocal(request, key))
        {
            return DomainError.RepositoryNotFound(key);
        }

        var failed = await repositories.UntagAsync(key, input.TagKeys, request.CancellationToken);
        return failed is null ? EcrResult.Ok(new EmptyDto(), EcrJsonContext.Default.EmptyDto) : failed;
    }

    public async Task<EcrResult> ListTagsForResourceAsync(EcrRequest request)
    {
        var key = request.Resource.Repository;
        if (!IsLocal(request, key))
        {
            return DomainError.RepositoryNotFound(key);
        }

        var tags = await repositories.ListTagsAsync(key, request.CancellationToken);
        if (!tags.IsSuccess)
        {
            return tags.Error!;
        }

        var dtos = new TagDto[tags.Value.Count];
        for (var i = 0; i < dtos.Length; i++)
        {
            dtos[i] = new TagDto(tags.Value[i].Key, tags.Value[i].Value);
        }

        return EcrResult.Ok(new ListTagsForResourceResponse(dtos), EcrJsonContext.Default.ListTagsForResourceResponse);
    }

    /// <summary>
    /// The pipeline has parsed and authorized resourceArn; an ARN of another region is a repository that does not
    /// exist here, because a region's endpoint only knows its own repositories.
    /// </summary>
    private static bool IsLocal(EcrRequest request, RepositoryKey key) => key.Region == request.Caller.Region;
}
