namespace Berth.Domain.Auth.Policies;

/// <summary>IAM's three answers: allowed, refused by a Deny statement, or refused because nothing allowed it.</summary>
public enum PolicyDecision
{
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}
