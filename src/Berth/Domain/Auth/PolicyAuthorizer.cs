using System.Collections.Concurrent;
using Berth.Domain.Auth.Policies;

namespace Berth.Domain.Auth;

/// <summary>
/// Authorization with identity policies: an account's root may do anything in its account; a user only what its
/// attached policies allow (an explicit deny wins); nobody may act in another account, since repository and registry
/// policies, the only grants across accounts, are not stored yet. A user's policies are read again at most once a
/// second, so an attached or detached policy takes effect within a second, as a disabled key does.
/// </summary>
public sealed class PolicyAuthorizer(IMetadataStore store, TimeProvider time) : IAuthorizer
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Account, string User), (IReadOnlyList<PolicyDocument> Policies, DateTimeOffset Loaded)> _policies = new();

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(Principal principal, string action, RegistryResource resource, CancellationToken cancellationToken)
    {
        if (AccountAuthorizer.Decide(principal, resource) != AuthorizationDecision.Allowed)
        {
            return AuthorizationDecision.Denied;
        }

        if (principal.Kind == PrincipalKind.Root)
        {
            return AuthorizationDecision.Allowed;
        }

        var now = time.GetUtcNow();
        var policies = principal.Kind == PrincipalKind.User && UserNameOf(principal) is { } user
            ? await PoliciesOfAsync(principal.AccountId, user, now, cancellationToken)
            : [];
        var decision = PolicyEvaluator.Evaluate(PolicyRequest.For(principal, action, resource, now), policies, null, null);
        return decision == PolicyDecision.Allow ? AuthorizationDecision.Allowed : AuthorizationDecision.Denied;
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
}
