namespace Berth.Domain.Auth.Policies;

/// <summary>
/// The account setting <c>REGISTRY_POLICY_SCOPE</c>. Under V1 a registry policy may grant only replication, pull-through
/// imports and the repository creation they need; V2 (the default) lets it govern every ECR action.
/// </summary>
public static class RegistryPolicyScope
{
    private static readonly string[] V1Actions = ["ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];

    /// <summary>Whether a registry policy takes part in deciding <paramref name="action"/> under scope V1.</summary>
    public static bool GovernsUnderV1(string action) =>
        Array.FindIndex(V1Actions, allowed => string.Equals(allowed, action, StringComparison.OrdinalIgnoreCase)) >= 0;

    /// <summary>Why a parsed registry policy is not allowed under scope V1, or null when it is.</summary>
    public static string? RefuseUnderV1(PolicyDocument policy)
    {
        foreach (var statement in policy.Statements)
        {
            foreach (var action in statement.Actions)
            {
                if (statement.NotAction || !GovernsUnderV1(action))
                {
                    return PolicyMessages.RegistryScopeV1(statement.NotAction ? "NotAction " + action : action);
                }
            }
        }

        return null;
    }
}
