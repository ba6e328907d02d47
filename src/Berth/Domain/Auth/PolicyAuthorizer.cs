using System.Collections.Concurrent;
using Berth.Domain.Auth.Policies;

namespace Berth.Domain.Auth;

/// <summary>
/// Authorization with identity policies: an account's root may do anything in its account; a user only what its
/// attached policies allow (an explicit deny wins); nobody may act in another account, since repository and registry
/// policies, the only grants across accounts, are not stored yet. Policies and decisions are cached while no user,
/// policy, key or tag changed through this process (<see cref="AccessChanges"/>) and for at most a second, so an
/// attached or detached policy takes effect within a second even when another process attached it, as a disabled key
/// does. The repository's tags are read only when a policy in play has a tag condition.
/// </summary>
public sealed class PolicyAuthorizer(IMetadataStore store, AccessChanges changes, TimeProvider time) : IAuthorizer
{
    private static readonly TimeSpan MaxAge = DecisionCache.MaxAge;

    private readonly ConcurrentDictionary<(string Account, string User), CachedPolicies> _policies = new();
    private readonly DecisionCache _decisions = new();

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var principal = request.Principal;
        if (AccountAuthorizer.Decide(principal, request.Resource) != AuthorizationDecision.Allowed)
        {
            return AuthorizationDecision.Denied;
        }

        if (principal.Kind == PrincipalKind.Root)
        {
            return AuthorizationDecision.Allowed;
        }

        var now = time.GetUtcNow();
        // Read before anything the decision reads, so a change committed meanwhile leaves the entry stale, not wrong.
        var generation = changes.Generation;
        var key = DecisionCache.KeyOf(request);
        if (key is { } cachedKey && _decisions.TryGet(cachedKey, generation, now, out var cached))
        {
            return cached;
        }

        var policies = principal.Kind == PrincipalKind.User && UserNameOf(principal) is { } user
            ? await PoliciesOfAsync(principal.AccountId, user, generation, now, cancellationToken)
            : [];
        var facts = await FactsAsync(request, policies, now, cancellationToken);
        var decision = PolicyEvaluator.Evaluate(facts, policies, null, null) == PolicyDecision.Allow
            ? AuthorizationDecision.Allowed
            : AuthorizationDecision.Denied;

        // aws:CurrentTime moves on its own: a policy that reads it is evaluated every time.
        if (key is { } newKey && !AnyReads(policies, ConditionKeyKind.CurrentTime))
        {
            _decisions.Set(newKey, generation, now, decision);
        }

        return decision;
    }

    /// <summary>The request as the evaluator reads it, with the repository's tags when a policy reads them.</summary>
    private async ValueTask<PolicyRequest> FactsAsync(AuthorizationRequest request, IReadOnlyList<PolicyDocument> policies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string>? resourceTags = null;
        if (request.Resource.RepositoryName is not null && AnyReads(policies, ConditionKeyKind.ResourceTag))
        {
            // A repository that does not exist has no tags: its tag conditions read as "no such key".
            if (await store.Repositories.GetResourceTagsAsync(request.Resource.Repository, cancellationToken) is { } tags)
            {
                var map = new Dictionary<string, string>(tags.Count, StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    map[tag.Key] = tag.Value;
                }

                resourceTags = map;
            }
        }

        return PolicyRequest.For(request.Principal, request.Action, request.Resource, now) with
        {
            SourceIp = request.SourceIp,
            SecureTransport = request.SecureTransport,
            ResourceTags = resourceTags,
            RequestTags = request.RequestTags,
            TagKeys = request.TagKeys,
        };
    }

    private static bool AnyReads(IReadOnlyList<PolicyDocument> policies, ConditionKeyKind kind)
    {
        foreach (var policy in policies)
        {
            if (policy.Reads(kind))
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask<IReadOnlyList<PolicyDocument>> PoliciesOfAsync(
        string account, string user, long generation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_policies.TryGetValue((account, user), out var cached) && cached.Generation == generation
            && cached.Loaded <= now && now - cached.Loaded < MaxAge)
        {
            return cached.Policies;
        }

        var parsed = new List<PolicyDocument>();
        foreach (var attached in await store.Users.ListPoliciesAsync(account, user, cancellationToken))
        {
            // Attaching checks the text, so a policy that no longer parses (written by an older Berth) grants nothing.
            if (PolicyParser.Parse(attached.Document, PolicyKind.Identity) is { Policy: { } policy })
            {
                parsed.Add(policy);
            }
        }

        _policies[(account, user)] = new CachedPolicies(parsed, generation, now);
        return parsed;
    }

    // arn:<partition>:iam::<account>:user/<name>, the name possibly under a path: the store keys users by the last part.
    private static string? UserNameOf(Principal principal)
    {
        var marker = principal.Arn.IndexOf(":user/", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var name = principal.Arn[(marker + ":user/".Length)..];
        var slash = name.LastIndexOf('/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }

    private sealed record CachedPolicies(IReadOnlyList<PolicyDocument> Policies, long Generation, DateTimeOffset Loaded);
}
