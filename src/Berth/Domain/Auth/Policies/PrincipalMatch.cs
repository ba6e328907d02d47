namespace Berth.Domain.Auth.Policies;

/// <summary>
/// How a statement's principal element names a caller. Naming the caller's account only delegates to that account's
/// identity policies, whereas naming the caller itself (or everyone) grants it directly.
/// </summary>
public enum PrincipalMatch
{
    None,
    Account,
    Direct,
}
