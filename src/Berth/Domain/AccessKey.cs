namespace Berth.Domain;

/// <summary>An access key pair that signs ECR API requests, owned by one account.</summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey, string AccountId, DateTimeOffset CreatedAt);

/// <summary>Finds the secret for an access key id; implemented over the metadata store with a cache.</summary>
public interface IAccessKeyLookup
{
    ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken);
}
