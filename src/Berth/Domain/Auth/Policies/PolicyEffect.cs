namespace Berth.Domain.Auth.Policies;

/// <summary>What a matching statement does.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}
