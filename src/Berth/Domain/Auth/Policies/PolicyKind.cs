namespace Berth.Domain.Auth.Policies;

/// <summary>
/// Where a policy is attached, which decides its grammar: an identity policy names no principal and must name
/// resources; a repository or registry policy must name principals and may leave the resource implied.
/// </summary>
public enum PolicyKind
{
    Identity,
    Repository,
    Registry,
}
