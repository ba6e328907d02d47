namespace Berth.Hosting;

/// <summary>How the ECR API authenticates callers.</summary>
public enum AuthMode
{
    /// <summary>Every request carries a valid AWS SigV4 signature with a key Berth knows.</summary>
    SigV4,

    /// <summary>Any signature or none; the account comes from a 12-digit access key id or the default.</summary>
    None,
}
