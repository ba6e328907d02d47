namespace Berth.Domain.Repositories;

/// <summary>Repository lifecycle and resource tagging, shared by every protocol.</summary>
public sealed class RepositoryService(IMetadataStore store, TimeProvider time)
{
    public async Task<Result<Repository>> CreateAsync(
        RepositoryKey key,
        RepositorySettings settings,
        IReadOnlyList<ResourceTag> tags,
        CancellationToken cancellationToken)
    {
        if (TagMutabilityNames.ValidateFilters(settings.Mutability, settings.MutabilityExclusionFilters) is { } filterError)
        {
            return filterError;
        }

        if (settings.KmsKey is not null && settings.EncryptionType == "AES256")
        {
            return DomainError.InvalidParameter("encryptionConfiguration", "KMS key can only be specified when encryptionType is KMS or KMS_DSSE");
        }

        if (ResourceTagRules.Validate(tags) is { } tagError)
        {
            return tagError;
        }

        // Millisecond precision: the wire carries epoch seconds with three decimals.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var kmsKey = AwsManagedKey.For(key.Scope, settings.EncryptionType, settings.KmsKey);
        var repository = new Repository(
            key, now, settings.Mutability, settings.MutabilityExclusionFilters, settings.ScanOnPush, settings.EncryptionType, kmsKey);
        if (!await store.Repositories.CreateAsync(repository, tags, cancellationToken))
        {
            return new DomainError(
                ErrorCode.RepositoryAlreadyExists,
                $"The repository with name '{key.Name}' already exists in the registry with id '{key.AccountId}'");
        }

        return repository;
    }

    public async Task<Result<Repository>> GetAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        await store.Repositories.GetAsync(key, cancellationToken) is { } repository
            ? repository
            : DomainError.RepositoryNotFound(key);

    /// <summary>The named repositories in request order; any unknown name fails the whole call.</summary>
    public async Task<Result<IReadOnlyList<Repository>>> GetManyAsync(
        RegistryScope scope,
        IReadOnlyList<string> names,
        CancellationToken cancellationToken)
    {
        var found = new List<Repository>(names.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!seen.Add(name))
            {
                continue;
            }

            var repository = await store.Repositories.GetAsync(scope.Repository(name), cancellationToken);
            if (repository is null)
            {
                return DomainError.RepositoryNotFound(scope.Repository(name));
            }

            found.Add(repository);
        }

        return found;
    }

    /// <summary>Repositories of one registry by name, strictly after <paramref name="afterName"/>; a limit of 0 answers an empty page.</summary>
    public Task<Page<Repository>> ListAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken) =>
        limit == 0
            ? Task.FromResult(new Page<Repository>([], null))
            : store.Repositories.ListAsync(scope, afterName, limit, cancellationToken);

    public async Task<Result<Repository>> DeleteAsync(RepositoryKey key, bool force, CancellationToken cancellationToken)
    {
        if (!force && await store.Images.CountImagesAsync(key, cancellationToken) > 0)
        {
            return new DomainError(
                ErrorCode.RepositoryNotEmpty,
                $"The repository with name '{key.Name}' in registry with id '{key.AccountId}' cannot be deleted because it still contains images");
        }

        return await store.Repositories.DeleteAsync(key, cancellationToken) is { } deleted
            ? deleted
            : DomainError.RepositoryNotFound(key);
    }

    public async Task<Result<Repository>> SetTagMutabilityAsync(
        RepositoryKey key,
        TagMutability mutability,
        IReadOnlyList<string> filters,
        CancellationToken cancellationToken)
    {
        if (TagMutabilityNames.ValidateFilters(mutability, filters) is { } error)
        {
            return error;
        }

        return await UpdateAsync(key, repository => repository with { Mutability = mutability, MutabilityExclusionFilters = filters }, cancellationToken);
    }

    public Task<Result<Repository>> SetScanOnPushAsync(RepositoryKey key, bool scanOnPush, CancellationToken cancellationToken) =>
        UpdateAsync(key, repository => repository with { ScanOnPush = scanOnPush }, cancellationToken);

    public async Task<Result<IReadOnlyList<ResourceTag>>> ListTagsAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        await store.Repositories.GetResourceTagsAsync(key, cancellationToken) is { } tags
            ? Result<IReadOnlyList<ResourceTag>>.From(tags)
            : DomainError.RepositoryNotFound(key);

    public async Task<DomainError?> TagAsync(RepositoryKey key, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken)
    {
        if (ResourceTagRules.Validate(tags) is { } error)
        {
            return error;
        }

        return Map(key, await store.Repositories.UpdateResourceTagsAsync(key, tags, [], ResourceTagRules.MaxTagsPerResource, cancellationToken));
    }

    public async Task<DomainError?> UntagAsync(RepositoryKey key, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        foreach (var tagKey in tagKeys)
        {
            if (ResourceTagRules.ValidateKey(tagKey) is { } error)
            {
                return error;
            }
        }

        return Map(key, await store.Repositories.UpdateResourceTagsAsync(key, [], tagKeys, ResourceTagRules.MaxTagsPerResource, cancellationToken));
    }

    private static DomainError? Map(RepositoryKey key, TagUpdateOutcome outcome) => outcome switch
    {
        TagUpdateOutcome.Updated => null,
        TagUpdateOutcome.RepositoryNotFound => DomainError.RepositoryNotFound(key),
        TagUpdateOutcome.TooManyTags => ResourceTagRules.TooManyTags(),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private async Task<Result<Repository>> UpdateAsync(
        RepositoryKey key,
        Func<Repository, Repository> change,
        CancellationToken cancellationToken)
    {
        var current = await store.Repositories.GetAsync(key, cancellationToken);
        if (current is null)
        {
            return DomainError.RepositoryNotFound(key);
        }

        var updated = change(current);
        return await store.Repositories.UpdateAsync(updated, cancellationToken) ? updated : DomainError.RepositoryNotFound(key);
    }
}
