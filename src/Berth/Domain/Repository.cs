namespace Berth.Domain;

/// <summary>A repository's stored settings.</summary>
public sealed record Repository(
    RepositoryKey Key,
    DateTimeOffset CreatedAt,
    TagMutability Mutability,
    IReadOnlyList<string> MutabilityExclusionFilters,
    bool ScanOnPush,
    string EncryptionType,
    string? KmsKey);

/// <summary>ECR's tag mutability modes, including the exclusion-filter variants.</summary>
public enum TagMutability
{
    Mutable,
    Immutable,
    MutableWithExclusion,
    ImmutableWithExclusion,
}

/// <summary>A resource tag (not an image tag).</summary>
public sealed record ResourceTag(string Key, string Value);
