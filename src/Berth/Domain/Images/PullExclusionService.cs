namespace Berth.Domain.Images;

/// <summary>
/// ECR's pull-time update exclusions: principals whose pulls do not refresh <c>lastRecordedPullTime</c>, so that
/// automation (scanners, mirrors) pulling every image does not keep images that people no longer pull looking fresh
/// to lifecycle rules on <c>sinceImagePulled</c>.
/// </summary>
public sealed class PullExclusionService(IMetadataStore store, TimeProvider time)
{
    /// <summary>Exclusions per registry; the model bounds a listing of them to this many.</summary>
    public const int Limit = 100;

    public async Task<Result<DateTimeOffset>> RegisterAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken)
    {
        var createdAt = time.GetUtcNow();
        return await store.PullExclusions.AddAsync(registry, principalArn, createdAt, Limit, cancellationToken) switch
        {
            PullExclusionAddition.Added => createdAt,
            PullExclusionAddition.AlreadyExcluded => new DomainError(
                ErrorCode.ExclusionAlreadyExists,
                $"The principal '{principalArn}' is already excluded from pull time updates in the registry with id '{registry.AccountId}'"),
            _ => new DomainError(
                ErrorCode.LimitExceeded,
                $"The registry with id '{registry.AccountId}' already has the maximum of {Limit} pull time update exclusions"),
        };
    }

    public async Task<DomainError?> DeregisterAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        await store.PullExclusions.RemoveAsync(registry, principalArn, cancellationToken)
            ? null
            : new DomainError(
                ErrorCode.ExclusionNotFound,
                $"The principal '{principalArn}' is not excluded from pull time updates in the registry with id '{registry.AccountId}'");

    public Task<Page<string>> ListAsync(RegistryScope registry, string? afterArn, int limit, CancellationToken cancellationToken) =>
        store.PullExclusions.ListAsync(registry, afterArn, limit, cancellationToken);

    /// <summary>True when pulls from the registry by <paramref name="principalArn"/> must leave the pull time alone.</summary>
    public Task<bool> IsExcludedAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        store.PullExclusions.ContainsAsync(registry, principalArn, cancellationToken);
}
