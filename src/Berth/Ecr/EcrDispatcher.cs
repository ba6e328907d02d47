using System.Collections.Frozen;
using Berth.Ecr.Operations;

namespace Berth.Ecr;

/// <summary>Routes a validated call to the operation that implements it; the rest answer a clear "not implemented".</summary>
public sealed class EcrDispatcher
{
    private readonly FrozenDictionary<string, Func<EcrRequest, Task<EcrResult>>> _handlers;

    public EcrDispatcher(
        RepositoryOperations repositories,
        TaggingOperations tagging,
        RegistryOperations registry,
        AuthorizationOperations authorization,
        ImageOperations images,
        LayerOperations layers,
        LifecycleOperations lifecycle)
    {
        _handlers = new Dictionary<string, Func<EcrRequest, Task<EcrResult>>>(StringComparer.Ordinal)
        {
            ["CreateRepository"] = repositories.CreateRepositoryAsync,
            ["DescribeRepositories"] = repositories.DescribeRepositoriesAsync,
            ["DeleteRepository"] = repositories.DeleteRepositoryAsync,
            ["PutImageTagMutability"] = repositories.PutImageTagMutabilityAsync,
            ["PutImageScanningConfiguration"] = repositories.PutImageScanningConfigurationAsync,
            ["TagResource"] = tagging.TagResourceAsync,
            ["UntagResource"] = tagging.UntagResourceAsync,
            ["ListTagsForResource"] = tagging.ListTagsForResourceAsync,
            ["DescribeRegistry"] = registry.DescribeRegistryAsync,
            ["GetAuthorizationToken"] = authorization.GetAuthorizationTokenAsync,
            ["ListImages"] = images.ListImagesAsync,
            ["DescribeImages"] = images.DescribeImagesAsync,
            ["BatchGetImage"] = images.BatchGetImageAsync,
            ["BatchDeleteImage"] = images.BatchDeleteImageAsync,
            ["PutImage"] = images.PutImageAsync,
            ["ListImageReferrers"] = images.ListImageReferrersAsync,
            ["DescribeImageReplicationStatus"] = images.DescribeImageReplicationStatusAsync,
            ["InitiateLayerUpload"] = layers.InitiateLayerUploadAsync,
            ["UploadLayerPart"] = layers.UploadLayerPartAsync,
            ["CompleteLayerUpload"] = layers.CompleteLayerUploadAsync,
            ["BatchCheckLayerAvailability"] = layers.BatchCheckLayerAvailabilityAsync,
            ["GetDownloadUrlForLayer"] = layers.GetDownloadUrlForLayerAsync,
            ["PutLifecyclePolicy"] = lifecycle.PutLifecyclePolicyAsync,
            ["GetLifecyclePolicy"] = lifecycle.GetLifecyclePolicyAsync,
            ["DeleteLifecyclePolicy"] = lifecycle.DeleteLifecyclePolicyAsync,
            ["StartLifecyclePolicyPreview"] = lifecycle.StartLifecyclePolicyPreviewAsync,
            ["GetLifecyclePolicyPreview"] = lifecycle.GetLifecyclePolicyPreviewAsync,
            ["UpdateImageStorageClass"] = lifecycle.UpdateImageStorageClassAsync,
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The operations Berth implements today.</summary>
    public IEnumerable<string> Implemented => _handlers.Keys;

    public bool Implements(string operation) => _handlers.ContainsKey(operation);

    public Task<EcrResult> DispatchAsync(EcrRequest request) =>
        _handlers.TryGetValue(request.Operation.Name, out var handler)
            ? handler(request)
            : Task.FromResult(EcrResult.Fail(EcrError.NotImplemented(request.Operation.Name)));
}
