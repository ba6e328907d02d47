using Berth.Domain;
using Berth.Domain.Repositories;
using Berth.Ecr.Contracts;
using Berth.Hosting;

namespace Berth.Ecr.Operations;

/// <summary>Converts repositories between the domain and ECR's wire shapes.</summary>
public static class RepositoryMapping
{
    public static RepositoryDto ToDto(Repository repository, RegistryAddress address) => new(
        RepositoryArn.Format(repository.Key),
        repository.Key.AccountId,
        repository.Key.Name,
        address.RepositoryUri(repository.Key),
        repository.CreatedAt,
        TagMutabilityNames.ToWire(repository.Mutability),
        ToFilterDtos(repository.MutabilityExclusionFilters),
        new ImageScanningConfigurationDto(repository.ScanOnPush),
        new EncryptionConfigurationDto(repository.EncryptionType, repository.KmsKey));

    public static IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ToFilterDtos(IReadOnlyList<string> filters)
    {
        if (filters.Count == 0)
        {
            return null;
        }

        var dtos = new ImageTagMutabilityExclusionFilterDto[filters.Count];
        for (var i = 0; i < filters.Count; i++)
        {
            dtos[i] = new ImageTagMutabilityExclusionFilterDto("WILDCARD", filters[i]);
        }

        return dtos;
    }

    public static IReadOnlyList<string> FromFilterDtos(IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? filters)
    {
        if (filters is null)
        {
            return [];
        }

        var values = new string[filters.Count];
        for (var i = 0; i < filters.Count; i++)
        {
            values[i] = filters[i].Filter!;
        }

        return values;
    }

    public static IReadOnlyList<ResourceTag> FromTagDtos(IReadOnlyList<TagDto>? tags)
    {
        if (tags is null)
        {
            return [];
        }

        var values = new ResourceTag[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            values[i] = new ResourceTag(tags[i].Key!, tags[i].Value!);
        }

        return values;
    }

    public static RepositorySettings ToSettings(CreateRepositoryRequest request)
    {
        var defaults = RepositorySettings.Default;
        return new RepositorySettings(
            request.ImageTagMutability is null ? defaults.Mutability : TagMutabilityNames.FromWire(request.ImageTagMutability),
            FromFilterDtos(request.ImageTagMutabilityExclusionFilters),
            request.ImageScanningConfiguration?.ScanOnPush ?? defaults.ScanOnPush,
            request.EncryptionConfiguration?.EncryptionType ?? defaults.EncryptionType,
            request.EncryptionConfiguration?.KmsKey);
    }
}
