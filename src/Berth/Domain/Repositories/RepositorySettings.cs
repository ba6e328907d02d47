namespace Berth.Domain.Repositories;

/// <summary>What a caller asks for when creating a repository; absent values take ECR's defaults.</summary>
public sealed record RepositorySettings(
    TagMutability Mutability,
    IReadOnlyList<string> MutabilityExclusionFilters,
    bool ScanOnPush,
    string EncryptionType,
    string? KmsKey)
{
    public static RepositorySettings Default { get; } = new(TagMutability.Mutable, [], false, "AES256", null);
}
