namespace Berth.Domain.Auth;

/// <summary>What kind of IAM identity a principal is; policies will treat an account root differently from users and roles.</summary>
public enum PrincipalKind
{
    Root,
    User,
    Role,
}
