using Berth.Diagnostics;
using Berth.Domain.Auth.Policies;
using Berth.Domain.Lifecycle;
using Berth.Domain.Policies;
using Berth.Domain.Repositories;

namespace Berth.Domain.Templates;

/// <summary>
/// Repository creation templates (ECR §9.3): their create, describe, update and delete, and the one way any feature
/// creates a repository by itself, <see cref="CreateRepositoryAsync"/>, which applies the most specific template.
/// </summary>
public sealed class CreationTemplateService(IMetadataStore store, ResourcePolicyCache policies, TimeProvider time, ILogger<CreationTemplateService> logger)
{
    /// <summary>
    /// Templates per registry. ECR's service model does not state its quota and its quota page does not list one; 300
    /// is generous for prefix-per-team use and keeps a registry's templates one small read.
    /// </summary>
    public const int Limit = 300;

    private const string Aes256 = "AES256";

    /// <summary>
    /// Creates <paramref name="repository"/> as ECR does when it creates one by itself for <paramref name="use"/>
    /// (exactly one flag): from the longest-prefix template that lists that use (<c>ROOT</c> matches every name), with
    /// its mutability and exclusions, encryption (KMS without a key names the registry's AWS-managed key), resource
    /// tags, repository policy and lifecycle policy, all in one transaction. Without a matching template, REPLICATION
    /// and PULL_THROUGH_CACHE create it with ECR's defaults (MUTABLE, AES256, nothing else) and CREATE_ON_PUSH creates
    /// nothing and answers RepositoryNotFound. A repository that already exists, or that a concurrent caller creates
    /// first, is answered as it is, so racing creators both succeed on the one repository.
    /// </summary>
    public async Task<Result<Repository>> CreateRepositoryAsync(RepositoryKey repository, TemplateUses use, CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is { } existing)
        {
            return existing;
        }

        var template = await FindAsync(repository, use, cancellationToken);
        if (template is null && use == TemplateUses.CreateOnPush)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        return await CreateFromAsync(repository, template, use, cancellationToken);
    }

    /// <summary>The most specific template of the registry that lists <paramref name="use"/> and matches the name; null when none does.</summary>
    public async Task<CreationTemplate?> FindAsync(RepositoryKey repository, TemplateUses use, CancellationToken cancellationToken)
    {
        var keys = TemplatePrefix.MatchingKeys(repository.Name);
        var found = await store.CreationTemplates.FindAsync(repository.Scope, keys, cancellationToken);
        CreationTemplate? best = null;
        foreach (var template in found)
        {
            if ((template.AppliedFor & use) != 0 && (best is null || Specificity(template) > Specificity(best)))
            {
                best = template;
            }
        }

        return best;
    }

    /// <summary>Creates the repository from <paramref name="template"/> (ECR's defaults when null); an existing one is answered as it is.</summary>
    public async Task<Result<Repository>> CreateFromAsync(RepositoryKey key, CreationTemplate? template, TemplateUses use, CancellationToken cancellationToken)
    {
        var encryptionType = template?.EncryptionType ?? Aes256;
        var repository = new Repository(
            key,
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
            template?.Mutability ?? TagMutability.Mutable,
            template?.MutabilityExclusionFilters ?? [],
            ScanOnPush: false,
            encryptionType,
            AwsManagedKey.For(key.Scope, encryptionType, template?.KmsKey));
        var created = await store.CreationTemplates.CreateRepositoryAsync(
            repository, template?.ResourceTags ?? [], template?.RepositoryPolicy, template?.LifecyclePolicy, cancellationToken);
        if (!created)
        {
            // Another push, replication or caller created it first: that repository is the one to use.
            return await store.Repositories.GetAsync(key, cancellationToken) is { } existing ? existing : DomainError.RepositoryNotFound(key);
        }

        policies.Forget(key);
        logger.RepositoryCreatedFromTemplate(key.Name, template?.Prefix ?? "(none)", use);
        return repository;
    }

    public async Task<Result<CreationTemplate>> CreateAsync(RegistryScope registry, string prefix, TemplateFields fields, CancellationToken cancellationToken)
    {
        if (fields.AppliedFor is not { } uses || uses == TemplateUses.None)
        {
            return Invalid(ErrorCode.Validation, "appliedFor", "must contain at least one of REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH");
        }

        var now = Now();
        var template = Apply(
            new CreationTemplate(prefix, null, Aes256, null, [], TagMutability.Mutable, [], null, null, uses, null, now, now),
            fields,
            now);
        if (Validate(registry, template) is { } error)
        {
            return error;
        }

        return await store.CreationTemplates.AddAsync(registry, template, Limit, cancellationToken) switch
        {
            TemplateAddition.Added => template,
            TemplateAddition.AlreadyExists => new DomainError(
                ErrorCode.TemplateAlreadyExists,
                $"The repository creation template with prefix '{prefix}' already exists in the registry with id '{registry.AccountId}'"),
            _ => new DomainError(
                ErrorCode.LimitExceeded,
                $"The registry with id '{registry.AccountId}' already has the maximum of {Limit} repository creation templates"),
        };
    }

    /// <summary>Changes the fields sent and keeps the others; TemplateNotFound when the prefix has no template.</summary>
    public async Task<Result<CreationTemplate>> UpdateAsync(RegistryScope registry, string prefix, TemplateFields fields, CancellationToken cancellationToken)
    {
        if (fields.AppliedFor == TemplateUses.None)
        {
            return Invalid(ErrorCode.Validation, "appliedFor", "must contain at least one of REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH");
        }

        var found = await store.CreationTemplates.FindAsync(registry, [TemplatePrefix.KeyOf(prefix)], cancellationToken);
        if (found.Count == 0)
        {
            return NotFound(registry, prefix);
        }

        var template = Apply(found[0], fields, Now());
        if (Validate(registry, template) is { } error)
        {
            return error;
        }

        return await store.CreationTemplates.ReplaceAsync(registry, template, cancellationToken) ? template : NotFound(registry, prefix);
    }

    public async Task<Result<CreationTemplate>> DeleteAsync(RegistryScope registry, string prefix, CancellationToken cancellationToken) =>
        await store.CreationTemplates.DeleteAsync(registry, TemplatePrefix.KeyOf(prefix), cancellationToken) is { } deleted
            ? deleted
            : NotFound(registry, prefix);

    /// <summary>
    /// One page of the registry's templates ordered by key, strictly after <paramref name="afterKey"/>; with
    /// <paramref name="prefixes"/>, only those (a prefix without a template is left out, as ECR answers).
    /// </summary>
    public async Task<Page<CreationTemplate>> DescribeAsync(
        RegistryScope registry, IReadOnlyList<string>? prefixes, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        if (prefixes is null)
        {
            return await store.CreationTemplates.ListAsync(registry, afterKey, limit, cancellationToken);
        }

        var keys = new List<string>(prefixes.Count);
        foreach (var prefix in prefixes)
        {
            keys.Add(TemplatePrefix.KeyOf(prefix));
        }

        var found = await store.CreationTemplates.FindAsync(registry, keys, cancellationToken);
        var items = new List<CreationTemplate>(Math.Min(found.Count, limit));
        foreach (var template in found)
        {
            if (afterKey is not null && string.CompareOrdinal(template.Key, afterKey) <= 0)
            {
                continue;
            }

            if (items.Count == limit)
            {
                return new Page<CreationTemplate>(items, items[^1].Key);
            }

            items.Add(template);
        }

        return new Page<CreationTemplate>(items, null);
    }

    private static int Specificity(CreationTemplate template) => template.Key == TemplatePrefix.Root ? 0 : template.Key.Length;

    private static CreationTemplate Apply(CreationTemplate current, TemplateFields fields, DateTimeOffset now)
    {
        // A new mode replaces the filters (none unless sent with it); filters sent alone go with the stored mode.
        var mutability = fields.Mutability ?? current.Mutability;
        var filters = fields.MutabilityExclusionFilters ?? (fields.Mutability is null ? current.MutabilityExclusionFilters : []);
        return current with
        {
            Description = fields.Description is null ? current.Description : NoneIfEmpty(fields.Description),
            EncryptionType = fields.Encryption?.Type ?? current.EncryptionType,
            KmsKey = fields.Encryption is { } encryption ? NoneIfEmpty(encryption.KmsKey) : current.KmsKey,
            ResourceTags = fields.ResourceTags ?? current.ResourceTags,
            Mutability = mutability,
            MutabilityExclusionFilters = filters,
            RepositoryPolicy = fields.RepositoryPolicy is null ? current.RepositoryPolicy : NoneIfEmpty(fields.RepositoryPolicy),
            LifecyclePolicy = fields.LifecyclePolicy is null ? current.LifecyclePolicy : NoneIfEmpty(fields.LifecyclePolicy),
            AppliedFor = fields.AppliedFor ?? current.AppliedFor,
            CustomRoleArn = fields.CustomRoleArn is null ? current.CustomRoleArn : NoneIfEmpty(fields.CustomRoleArn),
            UpdatedAt = now,
        };
    }

    /// <summary>What a repository made from the template would be refused for, checked once here rather than at every creation.</summary>
    private static DomainError? Validate(RegistryScope registry, CreationTemplate template)
    {
        if (TagMutabilityNames.ValidateFilters(template.Mutability, template.MutabilityExclusionFilters) is { } filterError)
        {
            return filterError;
        }

        if (template.KmsKey is not null && template.EncryptionType == Aes256)
        {
            return DomainError.InvalidParameter("encryptionConfiguration", "KMS key can only be specified when encryptionType is KMS or KMS_DSSE");
        }

        if (ResourceTagRules.Validate(template.ResourceTags) is { } tagError)
        {
            // The template operations declare no tag exceptions: ECR reports bad tags as a bad parameter.
            return new DomainError(ErrorCode.InvalidParameter, tagError.Message);
        }

        if (template.RepositoryPolicy is { } repositoryPolicy && PolicyParser.Parse(repositoryPolicy, PolicyKind.Repository) is { IsSuccess: false } refused)
        {
            return new DomainError(ErrorCode.InvalidParameter, refused.ErrorMessage!);
        }

        if (template.LifecyclePolicy is { } lifecyclePolicy && LifecyclePolicyParser.Parse(lifecyclePolicy) is { Policy: null } bad)
        {
            return new DomainError(ErrorCode.InvalidParameter, LifecyclePolicyParser.FormatFailureMessage(bad.Error!));
        }

        if (template.CustomRoleArn is { } role && !IsRoleOf(registry, role))
        {
            return Invalid(ErrorCode.Validation, "customRoleArn", $"must be the ARN of an IAM role in the account '{registry.AccountId}'");
        }

        return null;
    }

    /// <summary>ECR assumes the custom role in the registry's own account, so it must be one of that account's roles.</summary>
    private static bool IsRoleOf(RegistryScope registry, string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6
            && parts[0] == "arn"
            && parts[1].StartsWith("aws", StringComparison.Ordinal)
            && parts[2] == "iam"
            && parts[3].Length == 0
            && parts[4] == registry.AccountId
            && parts[5].StartsWith("role/", StringComparison.Ordinal)
            && parts[5].Length > "role/".Length;
    }

    private static string? NoneIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DomainError Invalid(ErrorCode code, string member, string constraint) =>
        new(code, $"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'");

    private static DomainError NotFound(RegistryScope registry, string prefix) => new(
        ErrorCode.TemplateNotFound,
        $"The repository creation template with prefix '{prefix}' does not exist in the registry with id '{registry.AccountId}'");

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
