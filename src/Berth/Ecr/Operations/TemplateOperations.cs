using Berth.Domain;
using Berth.Domain.Templates;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Create, describe, update and delete repository creation templates.</summary>
public sealed class TemplateOperations(CreationTemplateService templates)
{
    private const int DefaultPageSize = 100;

    public async Task<EcrResult> CreateAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.RepositoryCreationTemplateRequest);
        var created = await templates.CreateAsync(request.Scope, input.Prefix, ToFields(input), request.CancellationToken);
        return Answer(request, created);
    }

    public async Task<EcrResult> UpdateAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.RepositoryCreationTemplateRequest);
        var updated = await templates.UpdateAsync(request.Scope, input.Prefix, ToFields(input), request.CancellationToken);
        return Answer(request, updated);
    }

    public async Task<EcrResult> DeleteAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DeleteRepositoryCreationTemplateRequest);
        var deleted = await templates.DeleteAsync(request.Scope, input.Prefix, request.CancellationToken);
        return Answer(request, deleted);
    }

    public async Task<EcrResult> DescribeAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribeRepositoryCreationTemplatesRequest);
        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var page = await templates.DescribeAsync(request.Scope, input.Prefixes, after, input.MaxResults ?? DefaultPageSize, request.CancellationToken);
        var items = new RepositoryCreationTemplateDto[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ToDto(page.Items[i]);
        }

        var next = page.NextKey is null ? null : PaginationToken.Encode(request.Operation.Name, page.NextKey);
        return EcrResult.Ok(
            new DescribeRepositoryCreationTemplatesResponse(request.Scope.AccountId, items, next),
            EcrJsonContext.Default.DescribeRepositoryCreationTemplatesResponse);
    }

    private static EcrResult Answer(EcrRequest request, Result<CreationTemplate> result) =>
        result.IsSuccess
            ? EcrResult.Ok(
                new RepositoryCreationTemplateResponse(request.Scope.AccountId, ToDto(result.Value)),
                EcrJsonContext.Default.RepositoryCreationTemplateResponse)
            : result.Error!;

    private static TemplateFields ToFields(RepositoryCreationTemplateRequest input) => new(
        input.Description,
        input.EncryptionConfiguration is { } encryption ? new TemplateEncryption(encryption.EncryptionType!, encryption.KmsKey) : null,
        input.ResourceTags is null ? null : RepositoryMapping.FromTagDtos(input.ResourceTags),
        input.ImageTagMutability is null ? null : TagMutabilityNames.FromWire(input.ImageTagMutability),
        input.ImageTagMutabilityExclusionFilters is null ? null : RepositoryMapping.FromFilterDtos(input.ImageTagMutabilityExclusionFilters),
        input.RepositoryPolicy,
        input.LifecyclePolicy,
        input.AppliedFor is null ? null : TemplatePrefix.FromWire(input.AppliedFor),
        input.CustomRoleArn);

    private static RepositoryCreationTemplateDto ToDto(CreationTemplate template)
    {
        var tags = new TagDto[template.ResourceTags.Count];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new TagDto(template.ResourceTags[i].Key, template.ResourceTags[i].Value);
        }

        return new RepositoryCreationTemplateDto(
            template.Prefix,
            template.Description,
            new EncryptionConfigurationDto(template.EncryptionType, template.KmsKey),
            tags,
            TagMutabilityNames.ToWire(template.Mutability),
            RepositoryMapping.ToFilterDtos(template.MutabilityExclusionFilters),
            template.RepositoryPolicy,
            template.LifecyclePolicy,
            TemplatePrefix.ToWire(template.AppliedFor),
            template.CustomRoleArn,
            template.CreatedAt,
            template.UpdatedAt);
    }
}
