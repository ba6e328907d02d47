namespace Berth.Domain.Auth;

/// <summary>
/// Today's rule: a principal may do anything in its own account and nothing in another, because another
/// account's registry is reachable only through repository or registry policies, which Berth does not evaluate yet.
/// </summary>
public sealed class AccountAuthorizer : IAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(Principal principal, string action, RegistryResource resource, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Decide(principal, resource));

    /// <summary>The account boundary alone: the whole decision for an account's root.</summary>
    public static AuthorizationDecision Decide(Principal principal, RegistryResource resource) =>
        principal.AccountId == resource.AccountId ? AuthorizationDecision.Allowed : AuthorizationDecision.Denied;
}
