namespace Berth.Domain.Auth.Policies;

/// <summary>
/// One statement. <see cref="Principals"/> is null in identity policies; <see cref="Resources"/> is null when a
/// resource policy leaves the resource implied (the repository or registry it is attached to).
/// </summary>
public sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    PrincipalSet? Principals,
    bool NotPrincipal,
    IReadOnlyList<string> Actions,
    bool NotAction,
    IReadOnlyList<string>? Resources,
    bool NotResource,
    IReadOnlyList<PolicyCondition> Conditions);
