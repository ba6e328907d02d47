namespace Berth.Domain.Auth;

/// <summary>
/// Today's rule: a principal may do anything in its own account and nothing in another, because another
/// account's registry is reachable only through repository or registry policies, which Berth does not evaluate yet.
/// </summary>
public sealed class AccountAuthorizer : IAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Decide(request.Principal, request.Resource));

    /// <summary>The account boundary alone: the whole decision for an account's root.</summary>
    public static AuthorizationDecision Decide(Principal principal, RegistryResource resource) =>
        principal.AccountId == resource.AccountId ? AuthorizationDecision.Allowed : AuthorizationDecision.Denied;
}
