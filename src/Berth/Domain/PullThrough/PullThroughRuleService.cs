using System.Collections.Concurrent;

namespace Berth.Domain.PullThrough;

/// <summary>
/// Pull-through cache rules for both the ECR API and the pull path: their checks (upstream kind and URL, credentials,
/// the 50-rule quota), and which rule covers a repository (the longest prefix; ROOT last).
/// </summary>
public sealed class PullThroughRuleService(IMetadataStore store, UpstreamSecrets secrets, UpstreamClient upstream, TimeProvider time)
{
    /// <summary>ECR's quota of rules per registry.</summary>
    public const int Limit = 50;

    // Rules change rarely and every cache miss on /v2/ asks for them: each registry's list is kept this long, and
    // dropped at once by a change through this process.
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<RegistryScope, (long At, PullThroughRule[] Rules)> _cache = new();

    public async Task<Result<PullThroughRule>> CreateAsync(
        RegistryScope registry,
        string ecrRepositoryPrefix,
        string upstreamRegistryUrl,
        string? upstreamRegistry,
        string? credentialArn,
        string? customRoleArn,
        string? upstreamRepositoryPrefix,
        CancellationToken cancellationToken)
    {
        if (UpstreamRegistries.Resolve(upstreamRegistryUrl, upstreamRegistry, out var urlError) is not { } kind)
        {
            return new DomainError(ErrorCode.UnsupportedUpstreamRegistry, urlError!);
        }

        if (credentialArn is null && UpstreamRegistries.NeedsCredential(kind))
        {
            return new DomainError(ErrorCode.InvalidParameter, $"A credentialArn is required for the upstream registry '{kind}'.");
        }

        if (await CheckCredentialAsync(registry, credentialArn, cancellationToken) is { } secretError)
        {
            return secretError;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var rule = new PullThroughRule(
            registry, ecrRepositoryPrefix, upstreamRegistryUrl, kind, credentialArn, customRoleArn, upstreamRepositoryPrefix, now, now);
        var added = await store.PullThrough.AddRuleAsync(rule, Limit, cancellationToken);
        _cache.TryRemove(registry, out _);
        return added switch
        {
            PullThroughRuleAddition.Added => rule,
            PullThroughRuleAddition.AlreadyExists => new DomainError(
                ErrorCode.PullThroughRuleAlreadyExists,
                $"A pull-through cache rule with the ecrRepositoryPrefix '{ecrRepositoryPrefix}' already exists in the registry with id '{registry.AccountId}'"),
            _ => new DomainError(
                ErrorCode.LimitExceeded,
                $"The maximum number of pull-through cache rules ({Limit}) for the registry with id '{registry.AccountId}' has been reached"),
        };
    }

    /// <summary>The rules named (each must exist), or one page of all of them.</summary>
    public async Task<Result<Page<PullThroughRule>>> DescribeAsync(
        RegistryScope registry,
        IReadOnlyList<string>? prefixes,
        string? afterPrefix,
        int limit,
        CancellationToken cancellationToken)
    {
        if (prefixes is null)
        {
            return await store.PullThrough.ListRulesAsync(registry, afterPrefix, limit, cancellationToken);
        }

        var found = new List<PullThroughRule>(prefixes.Count);
        foreach (var prefix in prefixes.Distinct(StringComparer.Ordinal))
        {
            if (await store.PullThrough.GetRuleAsync(registry, prefix, cancellationToken) is not { } rule)
            {
                return NotFound(registry, prefix);
            }

            found.Add(rule);
        }

        return new Page<PullThroughRule>(found, null);
    }

    public async Task<Result<PullThroughRule>> UpdateAsync(
        RegistryScope registry,
        string ecrRepositoryPrefix,
        string? credentialArn,
        string? customRoleArn,
        CancellationToken cancellationToken)
    {
        if (await store.PullThrough.GetRuleAsync(registry, ecrRepositoryPrefix, cancellationToken) is not { } rule)
        {
            return NotFound(registry, ecrRepositoryPrefix);
        }

        if (credentialArn is null && customRoleArn is null)
        {
            return new DomainError(ErrorCode.InvalidParameter, "Either credentialArn or customRoleArn must be given.");
        }

        if (await CheckCredentialAsync(registry, credentialArn, cancellationToken) is { } secretError)
        {
            return secretError;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var updated = await store.PullThrough.UpdateRuleAsync(
            registry, ecrRepositoryPrefix, credentialArn ?? rule.CredentialArn, customRoleArn ?? rule.CustomRoleArn, now, cancellationToken);
        _cache.TryRemove(registry, out _);
        return updated is null ? NotFound(registry, ecrRepositoryPrefix) : updated;
    }

    /// <summary>Deletes the rule; what was cached through it stays.</summary>
    public async Task<Result<PullThroughRule>> DeleteAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken)
    {
        var deleted = await store.PullThrough.DeleteRuleAsync(registry, ecrRepositoryPrefix, cancellationToken);
        _cache.TryRemove(registry, out _);
        return deleted is null ? NotFound(registry, ecrRepositoryPrefix) : deleted;
    }

    /// <summary>
    /// Contacts the upstream with the rule's credential (GET /v2/, answering its challenge): the rule, and null or
    /// why the upstream cannot be used.
    /// </summary>
    public async Task<Result<(PullThroughRule Rule, string? Failure)>> ValidateAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken)
    {
        if (await store.PullThrough.GetRuleAsync(registry, ecrRepositoryPrefix, cancellationToken) is not { } rule)
        {
            return NotFound(registry, ecrRepositoryPrefix);
        }

        var target = await TargetOfAsync(rule, null, cancellationToken);
        if (!target.IsSuccess)
        {
            return (rule, target.Error!.Message);
        }

        return (rule, await upstream.CheckAsync(target.Value, cancellationToken));
    }

    /// <summary>The rule covering <paramref name="repository"/>: the longest matching prefix, ROOT when no other matches; null when none.</summary>
    public async Task<PullThroughRule?> MatchAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        PullThroughRule? best = null;
        foreach (var rule in await RulesOfAsync(repository.Scope, cancellationToken))
        {
            if (rule.UpstreamRepositoryOf(repository.Name) is null)
            {
                continue;
            }

            if (best is null || best.EcrRepositoryPrefix == PullThroughRule.Root
                || (rule.EcrRepositoryPrefix != PullThroughRule.Root && rule.EcrRepositoryPrefix.TrimEnd('/').Length > best.EcrRepositoryPrefix.TrimEnd('/').Length))
            {
                best = rule;
            }
        }

        return best;
    }

    /// <summary>Where and as whom to reach the upstream repository behind <paramref name="repositoryName"/> (null: only /v2/ itself).</summary>
    public async Task<Result<UpstreamTarget>> TargetOfAsync(PullThroughRule rule, string? repositoryName, CancellationToken cancellationToken)
    {
        UpstreamCredential? credential = null;
        if (rule.CredentialArn is { } arn)
        {
            var resolved = await secrets.ResolveAsync(rule.Registry, arn, cancellationToken);
            if (!resolved.IsSuccess)
            {
                return resolved.Error!;
            }

            credential = resolved.Value;
        }

        var upstreamRepository = repositoryName is null ? null : rule.UpstreamRepositoryOf(repositoryName);
        return new UpstreamTarget(UpstreamRegistries.BaseOf(rule.UpstreamRegistryUrl, rule.UpstreamRegistry), upstreamRepository, credential);
    }

    private async Task<DomainError?> CheckCredentialAsync(RegistryScope registry, string? credentialArn, CancellationToken cancellationToken)
    {
        if (credentialArn is null)
        {
            return null;
        }

        var resolved = await secrets.ResolveAsync(registry, credentialArn, cancellationToken);
        return resolved.IsSuccess ? null : resolved.Error;
    }

    private async Task<PullThroughRule[]> RulesOfAsync(RegistryScope registry, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(registry, out var cached) && time.GetElapsedTime(cached.At, now) < MaxAge)
        {
            return cached.Rules;
        }

        var page = await store.PullThrough.ListRulesAsync(registry, null, Limit * 2, cancellationToken);
        var rules = page.Items.ToArray();
        _cache[registry] = (now, rules);
        return rules;
    }

    private static DomainError NotFound(RegistryScope registry, string prefix) => new(
        ErrorCode.PullThroughRuleNotFound,
        $"The pull-through cache rule with the ecrRepositoryPrefix '{prefix}' does not exist in the registry with id '{registry.AccountId}'");
}
