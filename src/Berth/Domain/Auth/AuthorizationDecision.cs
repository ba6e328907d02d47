namespace Berth.Domain.Auth;

/// <summary>What the authorizer answers for one action on one resource.</summary>
public enum AuthorizationDecision
{
    Allowed,

    /// <summary>No policy allows the action (IAM's implicit deny).</summary>
    Denied,
}
