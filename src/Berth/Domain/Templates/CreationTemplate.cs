namespace Berth.Domain.Templates;

/// <summary>
/// A repository creation template: the settings a repository gets when Berth creates it by itself (a push to a name
/// that does not exist, a replication, a pull through the cache). Texts (prefix, policies) are kept exactly as sent,
/// because ECR and Terraform read them back verbatim.
/// </summary>
public sealed record CreationTemplate(
    string Prefix,
    string? Description,
    string EncryptionType,
    string? KmsKey,
    IReadOnlyList<ResourceTag> ResourceTags,
    TagMutability Mutability,
    IReadOnlyList<string> MutabilityExclusionFilters,
    string? RepositoryPolicy,
    string? LifecyclePolicy,
    TemplateUses AppliedFor,
    string? CustomRoleArn,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>What the template is stored and found under: <see cref="TemplatePrefix.KeyOf"/> of its prefix.</summary>
    public string Key => TemplatePrefix.KeyOf(Prefix);
}

/// <summary>The kinds of repository creation a template serves (ECR's <c>appliedFor</c>).</summary>
[Flags]
public enum TemplateUses
{
    None = 0,
    Replication = 1,
    PullThroughCache = 2,
    CreateOnPush = 4,
}
