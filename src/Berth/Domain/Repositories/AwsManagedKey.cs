using System.Security.Cryptography;
using System.Text;

namespace Berth.Domain.Repositories;

/// <summary>
/// The ARN of a registry's AWS-managed ECR key (<c>aws/ecr</c>), which ECR names in a repository created with KMS
/// encryption and no key of its own. Berth has no KMS, so the key id is a name-based UUID of the account and region
/// (version 8 over SHA-256, as RFC 9562 describes): the same ARN for every repository of a registry, on every node
/// and after every restart.
/// </summary>
public static class AwsManagedKey
{
    // Berth's own namespace for these names; any fixed value works, this one must simply never change.
    private static readonly byte[] Namespace = Convert.FromHexString("6c1f0e2a9b3d4c5e8f7a1b2c3d4e5f60");

    public static string ArnOf(RegistryScope registry) =>
        $"arn:{RepositoryArn.Partition(registry.Region)}:kms:{registry.Region}:{registry.AccountId}:key/{KeyId(registry)}";

    /// <summary>
    /// The key a new repository names: the one asked for, none under AES256, and under KMS or KMS_DSSE without a key of
    /// the caller's, the registry's AWS-managed key.
    /// </summary>
    public static string? For(RegistryScope registry, string encryptionType, string? kmsKey) =>
        kmsKey ?? (encryptionType == "AES256" ? null : ArnOf(registry));

    private static string KeyId(RegistryScope registry)
    {
        var name = Encoding.UTF8.GetBytes($"ecr:{registry.AccountId}:{registry.Region}");
        var hash = SHA256.HashData([.. Namespace, .. name]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
