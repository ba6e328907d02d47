using Berth.Domain.PullThrough;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Create, describe, update, delete and validate pull-through cache rules.</summary>
public sealed class PullThroughOperations(PullThroughRuleService rules)
{
    private const int DefaultPageSize = 100;

    public async Task<EcrResult> CreateAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.CreatePullThroughCacheRuleRequest);
        var created = await rules.CreateAsync(
            request.Scope,
            input.EcrRepositoryPrefix,
            input.UpstreamRegistryUrl,
            input.UpstreamRegistry,
            input.CredentialArn,
            input.CustomRoleArn,
            input.UpstreamRepositoryPrefix,
            request.CancellationToken);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var rule = created.Value;
        return EcrResult.Ok(
            new CreatePullThroughCacheRuleResponse(
                rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, rule.CreatedAt, rule.Registry.AccountId, rule.UpstreamRegistry,
                rule.CredentialArn, rule.CustomRoleArn, rule.UpstreamRepositoryPrefix),
            EcrJsonContext.Default.CreatePullThroughCacheRuleResponse);
    }

    public async Task<EcrResult> DescribeAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribePullThroughCacheRulesRequest);
        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var page = await rules.DescribeAsync(request.Scope, input.EcrRepositoryPrefixes, after, input.MaxResults ?? DefaultPageSize, request.CancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var items = new List<PullThroughCacheRuleDto>(page.Value.Items.Count);
        foreach (var rule in page.Value.Items)
        {
            items.Add(new PullThroughCacheRuleDto(
                rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, rule.CreatedAt, rule.Registry.AccountId, rule.CredentialArn,
                rule.CustomRoleArn, rule.UpstreamRepositoryPrefix, rule.UpstreamRegistry, rule.UpdatedAt));
        }

        var next = page.Value.NextKey is null ? null : PaginationToken.Encode(request.Operation.Name, page.Value.NextKey);
        return EcrResult.Ok(new DescribePullThroughCacheRulesResponse(items, next), EcrJsonContext.Default.DescribePullThroughCacheRulesResponse);
    }

    public async Task<EcrResult> UpdateAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.UpdatePullThroughCacheRuleRequest);
        var updated = await rules.UpdateAsync(request.Scope, input.EcrRepositoryPrefix, input.CredentialArn, input.CustomRoleArn, request.CancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        var rule = updated.Value;
        return EcrResult.Ok(
            new UpdatePullThroughCacheRuleResponse(
                rule.EcrRepositoryPrefix, rule.Registry.AccountId, rule.UpdatedAt, rule.CredentialArn, rule.CustomRoleArn, rule.UpstreamRepositoryPrefix),
            EcrJsonContext.Default.UpdatePullThroughCacheRuleResponse);
    }

    public async Task<EcrResult> DeleteAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PullThroughCacheRuleRequest);
        var deleted = await rules.DeleteAsync(request.Scope, input.EcrRepositoryPrefix, request.CancellationToken);
        if (!deleted.IsSuccess)
        {
            return deleted.Error!;
        }

        var rule = deleted.Value;
        return EcrResult.Ok(
            new DeletePullThroughCacheRuleResponse(
                rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, rule.CreatedAt, rule.Registry.AccountId, rule.CredentialArn,
                rule.CustomRoleArn, rule.UpstreamRepositoryPrefix),
            EcrJsonContext.Default.DeletePullThroughCacheRuleResponse);
    }

    public async Task<EcrResult> ValidateAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PullThroughCacheRuleRequest);
        var validated = await rules.ValidateAsync(request.Scope, input.EcrRepositoryPrefix, request.CancellationToken);
        if (!validated.IsSuccess)
        {
            return validated.Error!;
        }

        var (rule, failure) = validated.Value;
        return EcrResult.Ok(
            new ValidatePullThroughCacheRuleResponse(
                rule.EcrRepositoryPrefix, rule.Registry.AccountId, rule.UpstreamRegistryUrl, rule.CredentialArn, rule.CustomRoleArn,
                rule.UpstreamRepositoryPrefix, failure is null, failure),
            EcrJsonContext.Default.ValidatePullThroughCacheRuleResponse);
    }
}
