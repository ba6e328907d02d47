using System.Collections.Concurrent;
using System.Collections.Frozen;
using Berth.Domain.Auth.Policies;
using Berth.Domain.Policies;

namespace Berth.Domain.Auth;

/// <summary>
/// Authorization with IAM's rules (<see cref="PolicyEvaluator"/>) over the caller's identity policies and the
/// resource's repository and registry policies (those of the resource's account): an account's root may do anything in
/// its account unless a resource policy denies it; a user what its identity policies or a resource policy naming it
/// allow; another account only what a resource policy grants it and its own identity policies allow. A user's
/// policies and resource policies are read again at most once a second, so an attached or detached policy takes
/// effect within a second, as a disabled key does.
/// </summary>
public sealed class PolicyAuthorizer(IMetadataStore store, ResourcePolicyCache resourcePolicies, TimeProvider time) : IAuthorizer
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    // The resource-policy operations an account's root may always perform in its own account, whatever a policy says,
    // so no repository or registry policy can lock an account out of its own registry (a bucket policy cannot lock out
    // S3's root either).
    private static readonly FrozenSet<string> RootRepairs = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
        "ecr:GetRegistryPolicy", "ecr:PutRegistryPolicy", "ecr:DeleteRegistryPolicy");

    private readonly ConcurrentDictionary<(string Account, string User), (IReadOnlyList<PolicyDocument> Policies, DateTimeOffset Loaded)> _policies = new();

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(Principal principal, string action, RegistryResource resource, CancellationToken cancellationToken)
    {
        if (IsRootRepair(principal, action, resource))
        {
            return AuthorizationDecision.Allowed;
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

        var now = time.GetUtcNow();
        var policies = principal.Kind == PrincipalKind.User && UserNameOf(principal) is { } user
            ? await PoliciesOfAsync(principal.AccountId, user, now, cancellationToken)
            : [];
        var decision = PolicyEvaluator.Evaluate(PolicyRequest.For(principal, action, resource, now), policies, repositoryPolicy, registryPolicy);
        return decision == PolicyDecision.Allow ? AuthorizationDecision.Allowed : AuthorizationDecision.Denied;
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

    private async ValueTask<IReadOnlyList<PolicyDocument>> PoliciesOfAsync(string account, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_policies.TryGetValue((account, user), out var cached) && now - cached.Loaded < MaxAge && cached.Loaded <= now)
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

        _policies[(account, user)] = (parsed, now);
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
}
