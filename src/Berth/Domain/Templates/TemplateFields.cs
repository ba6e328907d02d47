namespace Berth.Domain.Templates;

/// <summary>
/// The fields a create or an update of a template sends; null means not sent (an update keeps the stored value, a
/// create takes ECR's default). An empty policy, description or role means none.
/// </summary>
public sealed record TemplateFields(
    string? Description = null,
    TemplateEncryption? Encryption = null,
    IReadOnlyList<ResourceTag>? ResourceTags = null,
    TagMutability? Mutability = null,
    IReadOnlyList<string>? MutabilityExclusionFilters = null,
    string? RepositoryPolicy = null,
    string? LifecyclePolicy = null,
    TemplateUses? AppliedFor = null,
    string? CustomRoleArn = null);

/// <summary>A template's encryption: the type, and a KMS key ARN (none means the registry's AWS-managed key under KMS).</summary>
public sealed record TemplateEncryption(string Type, string? KmsKey);
