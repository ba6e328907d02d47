using Berth.Domain.Images;

namespace Berth.Domain.Referrers;

/// <summary>
/// The manifests whose subject is a given digest, filtered one way for both protocols: the OCI referrers API and ECR's
/// ListImageReferrers.
/// </summary>
public sealed class ReferrerService(IMetadataStore store)
{
    /// <summary>Every matching referrer ordered by digest, without manifest bytes; RepositoryNotFound when it does not exist.</summary>
    public async Task<Result<IReadOnlyList<ImageRecord>>> ListAsync(
        RepositoryKey repository,
        Digest subject,
        ReferrerFilter filter,
        CancellationToken cancellationToken)
    {
        var all = await ListAllAsync(repository, subject, cancellationToken);
        if (all is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var matching = new List<ImageRecord>(all.Count);
        foreach (var referrer in all)
        {
            if (filter.Matches(referrer))
            {
                matching.Add(referrer);
            }
        }

        return Result<IReadOnlyList<ImageRecord>>.From(matching);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> matching referrers ordered by digest, strictly after <paramref name="afterDigest"/>;
    /// the page's key is the last digest returned when more match.
    /// </summary>
    public async Task<Result<Page<ImageRecord>>> ListPageAsync(
        RepositoryKey repository,
        Digest subject,
        ReferrerFilter filter,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken)
    {
        var all = await ListAllAsync(repository, subject, cancellationToken);
        if (all is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        // A subject has few referrers, so the store returns them all and the page is cut here.
        var items = new List<ImageRecord>();
        string? nextKey = null;
        foreach (var referrer in all)
        {
            if ((afterDigest is not null && string.CompareOrdinal(referrer.Digest.ToString(), afterDigest) <= 0) || !filter.Matches(referrer))
            {
                continue;
            }

            if (items.Count == limit)
            {
                nextKey = items[^1].Digest.ToString();
                break;
            }

            items.Add(referrer);
        }

        return new Page<ImageRecord>(items, nextKey);
    }

    private async Task<IReadOnlyList<ImageRecord>?> ListAllAsync(RepositoryKey repository, Digest subject, CancellationToken cancellationToken) =>
        await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? null
            : await store.Images.ListReferrersAsync(repository, subject, cancellationToken);
}
