namespace Berth.Domain;

/// <summary>
/// An access key pair that signs ECR API requests, owned by one account and acting as its root (no
/// <see cref="UserName"/>) or as one of its users.
/// </summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey, string AccountId, DateTimeOffset CreatedAt)
{
    /// <summary>The user the key belongs to, or null for the account's root.</summary>
    public string? UserName { get; init; }

    /// <summary>An inactive key is refused; it can be made active again.</summary>
    public AccessKeyStatus Status { get; init; } = AccessKeyStatus.Active;
}

/// <summary>IAM's two key states.</summary>
public enum AccessKeyStatus
{
    Active,
    Inactive,
}

/// <summary>Finds an active access key by id, with its secret in clear; implemented over the metadata store with a short cache.</summary>
public interface IAccessKeyLookup
{
    ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken);
}
