using System.Collections.Concurrent;
using System.Collections.Frozen;
using Berth.Domain.Auth.Policies;
using Berth.Domain.Policies;

namespace Berth.Domain.Auth;

/// <summary>
/// Authorization with IAM's rules (<see cref="PolicyEvaluator"/>) over the caller's identity policies and the
/// resource's repository and registry policies (those of the resource's account): an account's root may do anything in
/// its account unless a resource policy denies it; a user what its identity policies or a resource policy naming it
/// allow; another account only what a resource policy grants it and its own identity policies allow. Conditions read
/// the request's facts, and the repository's tags, loaded only when a policy in play reads them.
/// </summary>
/// <remarks>
/// Policies and decisions are cached while nothing authorization reads changed through this process
/// (<see cref="AccessChanges"/>: users, policies, keys, tags, resource policies) and for at most a second, so a change
/// made by another process (an admin command beside the server) takes effect within a second, as a disabled key does.
/// </remarks>
public sealed class PolicyAuthorizer(IMetadataStore store, ResourcePolicyCache resourcePolicies, AccessChanges changes, TimeProvider time) : IAuthorizer
{
    private static readonly TimeSpan MaxAge = DecisionCache.MaxAge;

    // The resource-policy operations an account's root may always perform in its own account, whatever a policy says,
    // so no repository or registry policy can lock an account out of its own registry (a bucket policy cannot lock out
    // S3's root either).
    private static readonly FrozenSet<string> RootRepairs = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
        "ecr:GetRegistryPolicy", "ecr:PutRegistryPolicy", "ecr:DeleteRegistryPolicy");

    private readonly ConcurrentDictionary<(string Account, string User), CachedPolicies> _policies = new();
    private readonly DecisionCache _decisions = new();

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var (principal, action, resource) = (request.Principal, request.Action, request.Resource);
        if (IsRootRepair(principal, action, resource))
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

        var (repositoryPolicy, registryPolicy) = await ResourcePoliciesAsync(action, resource, cancellationToken);
        if (repositoryPolicy is null && registryPolicy is null)
        {
            // Without a resource policy the account boundary decides alone across accounts, and for an account's root.
            if (AccountAuthorizer.Decide(principal, resource) != AuthorizationDecision.Allowed)
            {
                return AuthorizationDecision.Denied;
            }

            if (principal.Kind == PrincipalKind.Root)
            {
                return AuthorizationDecision.Allowed;
            }
        }

        var identityPolicies = principal.Kind == PrincipalKind.User && UserNameOf(principal) is { } user
            ? await PoliciesOfAsync(principal.AccountId, user, generation, now, cancellationToken)
            : [];
        var inPlay = InPlay(identityPolicies, repositoryPolicy, registryPolicy);
        var facts = await FactsAsync(store, request, inPlay, now, cancellationToken);
        var decision = PolicyEvaluator.Evaluate(facts, identityPolicies, repositoryPolicy, registryPolicy) == PolicyDecision.Allow
            ? AuthorizationDecision.Allowed
            : AuthorizationDecision.Denied;

        // aws:CurrentTime moves on its own: a policy that reads it is evaluated every time.
        if (key is { } newKey && !AnyReads(inPlay, ConditionKeyKind.CurrentTime))
        {
            _decisions.Set(newKey, generation, now, decision);
        }

        return decision;
    }

    /// <summary>Whether this is an account's root repairing its own account's resource policies, which no policy can refuse.</summary>
    public static bool IsRootRepair(Principal principal, string action, RegistryResource resource) =>
        principal.Kind == PrincipalKind.Root && principal.AccountId == resource.AccountId && RootRepairs.Contains(action);

    /// <summary>The policies of the resource's account that take part: its repository's, and its registry's (per scope).</summary>
    private async ValueTask<(PolicyDocument? Repository, PolicyDocument? Registry)> ResourcePoliciesAsync(
        string action, RegistryResource resource, CancellationToken cancellationToken)
    {
        var repository = resource.IsSingleRepository
            ? await resourcePolicies.RepositoryPolicyAsync(resource.Repository, cancellationToken)
            : null;
        return (repository, await resourcePolicies.RegistryPolicyAsync(resource.Registry, action, cancellationToken));
    }

    private static List<PolicyDocument> InPlay(IReadOnlyList<PolicyDocument> identity, PolicyDocument? repository, PolicyDocument? registry)
    {
        var all = new List<PolicyDocument>(identity.Count + 2);
        all.AddRange(identity);
        if (repository is not null)
        {
            all.Add(repository);
        }

        if (registry is not null)
        {
            all.Add(registry);
        }

        return all;
    }

    /// <summary>The request as the evaluator reads it, with the repository's tags when a policy in play reads them.</summary>
    internal static async ValueTask<PolicyRequest> FactsAsync(IMetadataStore store, AuthorizationRequest request, List<PolicyDocument> inPlay, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string>? resourceTags = null;
        if (request.Resource.IsSingleRepository && AnyReads(inPlay, ConditionKeyKind.ResourceTag))
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

    private static bool AnyReads(List<PolicyDocument> policies, ConditionKeyKind kind)
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
    internal static string? UserNameOf(Principal principal)
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
