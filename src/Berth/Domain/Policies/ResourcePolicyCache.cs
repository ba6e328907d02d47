using System.Collections.Concurrent;
using Berth.Domain.Auth;
using Berth.Domain.Auth.Policies;

namespace Berth.Domain.Policies;

/// <summary>
/// Parsed repository and registry policies for the authorizer, each re-read at most once a second (as identity
/// policies are), so a change made through another process shows within a second; a change made through this
/// process's <see cref="ResourcePolicyService"/> is forgotten here at once, and moves <see cref="AccessChanges"/> on so
/// the authorizer's cached decisions are forgotten too. A stored text that no longer parses (written
/// by an older Berth) grants and denies nothing.
/// </summary>
public sealed class ResourcePolicyCache(IMetadataStore store, AccessChanges changes, TimeProvider time)
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<RepositoryKey, (PolicyDocument? Policy, DateTimeOffset Loaded)> _repositories = new();
    private readonly ConcurrentDictionary<RegistryScope, (PolicyDocument? Policy, bool ScopeV1, DateTimeOffset Loaded)> _registries = new();

    /// <summary>The repository's policy, or null when it has none (or does not exist).</summary>
    public async ValueTask<PolicyDocument?> RepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_repositories.TryGetValue(repository, out var cached) && IsFresh(cached.Loaded, now))
        {
            return cached.Policy;
        }

        var text = await store.Policies.GetRepositoryPolicyAsync(repository, cancellationToken);
        var policy = Parse(text, PolicyKind.Repository);
        Keep(_repositories, repository, (policy, now));
        return policy;
    }

    /// <summary>
    /// The registry's policy when it governs <paramref name="action"/>: every action under scope V2, only the
    /// replication and pull-through actions under V1; otherwise null.
    /// </summary>
    public async ValueTask<PolicyDocument?> RegistryPolicyAsync(RegistryScope registry, string action, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_registries.TryGetValue(registry, out var cached) || !IsFresh(cached.Loaded, now))
        {
            var text = await store.Policies.GetRegistryPolicyAsync(registry, cancellationToken);
            var scope = text is null ? null : await store.Policies.GetAccountSettingAsync(registry, AccountSettings.RegistryPolicyScope, cancellationToken);
            cached = (Parse(text, PolicyKind.Registry), scope == AccountSettings.ScopeV1, now);
            Keep(_registries, registry, cached);
        }

        return cached.ScopeV1 && !RegistryPolicyScope.GovernsUnderV1(action) ? null : cached.Policy;
    }

    public void Forget(RepositoryKey repository)
    {
        _repositories.TryRemove(repository, out _);
        changes.Advance();
    }

    public void Forget(RegistryScope registry)
    {
        _registries.TryRemove(registry, out _);
        changes.Advance();
    }

    private static bool IsFresh(DateTimeOffset loaded, DateTimeOffset now) => loaded <= now && now - loaded < MaxAge;

    private static PolicyDocument? Parse(string? text, PolicyKind kind) =>
        text is not null && PolicyParser.Parse(text, kind) is { Policy: { } policy } ? policy : null;

    // Starting over when full keeps memory bounded without bookkeeping; entries are one store read each to rebuild.
    private static void Keep<TKey, TValue>(ConcurrentDictionary<TKey, TValue> entries, TKey key, TValue value)
        where TKey : notnull
    {
        if (entries.Count >= Capacity)
        {
            entries.Clear();
        }

        entries[key] = value;
    }
}
