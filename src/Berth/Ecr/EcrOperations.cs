using System.Collections.Frozen;
using Berth.Ecr.Operations;
using static Berth.Ecr.EcrAccess;
using static Berth.Ecr.EcrResourceSelector;

namespace Berth.Ecr;

/// <summary>
/// Every operation of the ECR model, one descriptor each: what the pipeline authorizes, on which resource, and
/// which handler runs. Operations without a handler answer UnsupportedOperationException by name.
/// </summary>
public sealed class EcrOperations
{
    private readonly FrozenDictionary<string, EcrOperationDescriptor> _descriptors;

    public EcrOperations(
        RepositoryOperations repositories,
        TaggingOperations tagging,
        RegistryOperations registry,
        AuthorizationOperations authorization,
        ImageOperations images,
        LayerOperations layers,
        LifecycleOperations lifecycle,
        PolicyOperations policies,
        PullExclusionOperations exclusions,
        TemplateOperations templates,
        PullThroughOperations pullThrough,
        SigningOperations signing,
        ScanningOperations scanning)
    {
        EcrOperationDescriptor[] all =
        [
            new("BatchCheckLayerAvailability", Repository, Read, layers.BatchCheckLayerAvailabilityAsync),
            new("BatchDeleteImage", Repository, Write, images.BatchDeleteImageAsync),
            new("BatchGetImage", Repository, Read, images.BatchGetImageAsync),
            new("BatchGetRepositoryScanningConfiguration", Registry, Read, scanning.BatchGetRepositoryScanningConfigurationAsync),
            new("CompleteLayerUpload", Repository, Write, layers.CompleteLayerUploadAsync),
            new("CreatePullThroughCacheRule", Registry, Write, pullThrough.CreateAsync),
            new("CreateRepository", Repository, Write, repositories.CreateRepositoryAsync),
            new("CreateRepositoryCreationTemplate", Registry, Write, templates.CreateAsync),
            new("DeleteLifecyclePolicy", Repository, Write, lifecycle.DeleteLifecyclePolicyAsync),
            new("DeletePullThroughCacheRule", Registry, Write, pullThrough.DeleteAsync),
            new("DeleteRegistryPolicy", Registry, Write, policies.DeleteRegistryPolicyAsync),
            new("DeleteRepository", Repository, Write, repositories.DeleteRepositoryAsync),
            new("DeleteRepositoryCreationTemplate", Registry, Write, templates.DeleteAsync),
            new("DeleteRepositoryPolicy", Repository, Write, policies.DeleteRepositoryPolicyAsync),
            new("DeleteSigningConfiguration", Registry, Write, signing.DeleteSigningConfigurationAsync),
            new("DeregisterPullTimeUpdateExclusion", Registry, Write, exclusions.DeregisterAsync),
            new("DescribeImageReplicationStatus", Repository, Read, images.DescribeImageReplicationStatusAsync),
            new("DescribeImageScanFindings", Repository, Read, scanning.DescribeImageScanFindingsAsync),
            new("DescribeImageSigningStatus", Repository, Read, signing.DescribeImageSigningStatusAsync),
            new("DescribeImages", Repository, Read, images.DescribeImagesAsync),
            new("DescribePullThroughCacheRules", Registry, Read, pullThrough.DescribeAsync),
            new("DescribeRegistry", Registry, Read, registry.DescribeRegistryAsync),
            new("DescribeRepositories", Repositories, Read, repositories.DescribeRepositoriesAsync),
            new("DescribeRepositoryCreationTemplates", Registry, Read, templates.DescribeAsync),
            new("GetAccountSetting", Registry, Read, policies.GetAccountSettingAsync),

            // The token is good wherever the caller's principal may go, so it is authorized on the caller's own registry.
            new("GetAuthorizationToken", Registry, Read, authorization.GetAuthorizationTokenAsync),
            new("GetDownloadUrlForLayer", Repository, Read, layers.GetDownloadUrlForLayerAsync),
            new("GetLifecyclePolicy", Repository, Read, lifecycle.GetLifecyclePolicyAsync),
            new("GetLifecyclePolicyPreview", Repository, Read, lifecycle.GetLifecyclePolicyPreviewAsync),
            new("GetRegistryPolicy", Registry, Read, policies.GetRegistryPolicyAsync),
            new("GetRegistryScanningConfiguration", Registry, Read, scanning.GetRegistryScanningConfigurationAsync),
            new("GetRepositoryPolicy", Repository, Read, policies.GetRepositoryPolicyAsync),
            new("GetSigningConfiguration", Registry, Read, signing.GetSigningConfigurationAsync),
            new("InitiateLayerUpload", Repository, Write, layers.InitiateLayerUploadAsync),
            new("ListImageReferrers", Repository, Read, images.ListImageReferrersAsync),
            new("ListImages", Repository, Read, images.ListImagesAsync),
            new("ListPullTimeUpdateExclusions", Registry, Read, exclusions.ListAsync),
            new("ListTagsForResource", ResourceArn, Read, tagging.ListTagsForResourceAsync),
            new("PutAccountSetting", Registry, Write, policies.PutAccountSettingAsync),
            new("PutImage", Repository, Write, images.PutImageAsync),
            new("PutImageScanningConfiguration", Repository, Write, repositories.PutImageScanningConfigurationAsync),
            new("PutImageTagMutability", Repository, Write, repositories.PutImageTagMutabilityAsync),
            new("PutLifecyclePolicy", Repository, Write, lifecycle.PutLifecyclePolicyAsync),
            new("PutRegistryPolicy", Registry, Write, policies.PutRegistryPolicyAsync),
            new("PutRegistryScanningConfiguration", Registry, Write, scanning.PutRegistryScanningConfigurationAsync),
            new("PutReplicationConfiguration", Registry, Write, registry.PutReplicationConfigurationAsync),
            new("PutSigningConfiguration", Registry, Write, signing.PutSigningConfigurationAsync),
            new("RegisterPullTimeUpdateExclusion", Registry, Write, exclusions.RegisterAsync),
            new("SetRepositoryPolicy", Repository, Write, policies.SetRepositoryPolicyAsync),
            new("StartImageScan", Repository, Write, scanning.StartImageScanAsync),
            new("StartLifecyclePolicyPreview", Repository, Write, lifecycle.StartLifecyclePolicyPreviewAsync),
            new("TagResource", ResourceArn, Write, tagging.TagResourceAsync),
            new("UntagResource", ResourceArn, Write, tagging.UntagResourceAsync),
            new("UpdateImageStorageClass", Repository, Write, lifecycle.UpdateImageStorageClassAsync),
            new("UpdatePullThroughCacheRule", Registry, Write, pullThrough.UpdateAsync),
            new("UpdateRepositoryCreationTemplate", Registry, Write, templates.UpdateAsync),
            new("UploadLayerPart", Repository, Write, layers.UploadLayerPartAsync),
            new("ValidatePullThroughCacheRule", Registry, Read, pullThrough.ValidateAsync),
        ];
        _descriptors = all.ToFrozenDictionary(descriptor => descriptor.Name, StringComparer.Ordinal);
    }

    public IEnumerable<EcrOperationDescriptor> All => _descriptors.Values;

    /// <summary>The operations Berth implements today.</summary>
    public IEnumerable<string> Implemented => _descriptors.Values.Where(d => d.IsImplemented).Select(d => d.Name);

    /// <summary>The descriptor of a model operation; a test keeps this table and the model in step.</summary>
    public EcrOperationDescriptor this[string name] => _descriptors[name];

    public bool TryGet(string name, out EcrOperationDescriptor descriptor) => _descriptors.TryGetValue(name, out descriptor!);
}
