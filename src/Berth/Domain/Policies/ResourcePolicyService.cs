using Berth.Domain.Auth;
using Berth.Domain.Auth.Policies;

namespace Berth.Domain.Policies;

/// <summary>
/// Repository and registry policies and account settings: each policy is checked with <see cref="PolicyParser"/> and
/// stored exactly as sent (ECR returns the text verbatim). A repository policy that would stop its author from setting
/// a policy again needs <c>force</c>; a registry policy must fit the registry's REGISTRY_POLICY_SCOPE. Every write
/// is forgotten by <see cref="ResourcePolicyCache"/> before it is answered, so this process enforces it at once.
/// </summary>
public sealed class ResourcePolicyService(IMetadataStore store, ResourcePolicyCache cache, TimeProvider time)
{
    private const string SetRepositoryPolicyAction = "ecr:SetRepositoryPolicy";

    private const string LockOut =
        "the policy would prevent the caller from setting the repository policy again; set force to true to apply it anyway";

    /// <summary>
    /// Stores a repository policy. Without <c>force</c>, one that would stop the caller from setting a policy again is
    /// refused; that check judges the caller's next SetRepositoryPolicy with the facts of <c>asked</c>, the request as
    /// it was authorized (address, TLS, request tags), and the repository's tags, as the authorizer would.
    /// </summary>
    public async Task<Result<string>> SetRepositoryPolicyAsync(AuthorizationRequest asked, RepositoryKey repository, string text, bool force, CancellationToken cancellationToken)
    {
        var parsed = PolicyParser.Parse(text, PolicyKind.Repository);
        if (!parsed.IsSuccess)
        {
            return new DomainError(ErrorCode.InvalidParameter, parsed.ErrorMessage!);
        }

        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        if (!force && await LocksOutAsync(asked, repository, parsed.Policy, cancellationToken))
        {
            return new DomainError(ErrorCode.InvalidParameter, PolicyMessages.InvalidParameter(PolicyKind.Repository, LockOut));
        }

        var stored = await store.Policies.SetRepositoryPolicyAsync(repository, text, cancellationToken);
        cache.Forget(repository);
        return stored ? text : DomainError.RepositoryNotFound(repository);
    }

    public async Task<Result<string>> GetRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        await store.Policies.GetRepositoryPolicyAsync(repository, cancellationToken) is { } text
            ? text
            : await MissingRepositoryPolicyAsync(repository, cancellationToken);

    public async Task<Result<string>> DeleteRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        var deleted = await store.Policies.DeleteRepositoryPolicyAsync(repository, cancellationToken);
        cache.Forget(repository);
        return deleted is { } text ? text : await MissingRepositoryPolicyAsync(repository, cancellationToken);
    }

    public async Task<Result<string>> PutRegistryPolicyAsync(RegistryScope registry, string text, CancellationToken cancellationToken)
    {
        var parsed = PolicyParser.Parse(text, PolicyKind.Registry);
        if (!parsed.IsSuccess)
        {
            return new DomainError(ErrorCode.InvalidParameter, parsed.ErrorMessage!);
        }

        if (await SettingAsync(registry, AccountSettings.RegistryPolicyScope, cancellationToken) == AccountSettings.ScopeV1
            && RegistryPolicyScope.RefuseUnderV1(parsed.Policy) is { } refused)
        {
            return new DomainError(ErrorCode.InvalidParameter, PolicyMessages.InvalidParameter(PolicyKind.Registry, refused));
        }

        await store.Policies.PutRegistryPolicyAsync(registry, text, cancellationToken);
        cache.Forget(registry);
        return text;
    }

    public async Task<Result<string>> GetRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        await store.Policies.GetRegistryPolicyAsync(registry, cancellationToken) is { } text ? text : PolicyErrors.RegistryPolicyNotFound(registry);

    public async Task<Result<string>> DeleteRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken)
    {
        var deleted = await store.Policies.DeleteRegistryPolicyAsync(registry, cancellationToken);
        cache.Forget(registry);
        return deleted is { } text ? text : PolicyErrors.RegistryPolicyNotFound(registry);
    }

    /// <summary>The setting's value, its default when never put; InvalidParameter for a name ECR does not have.</summary>
    public async Task<Result<string>> GetAccountSettingAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        AccountSettings.Problem(name, null) is { } problem ? problem : await SettingAsync(registry, name, cancellationToken);

    public async Task<Result<string>> PutAccountSettingAsync(RegistryScope registry, string name, string value, CancellationToken cancellationToken)
    {
        if (AccountSettings.Problem(name, value) is { } problem)
        {
            return problem;
        }

        await store.Policies.PutAccountSettingAsync(registry, name, value, cancellationToken);
        cache.Forget(registry);
        return value;
    }

    private async Task<string> SettingAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        await store.Policies.GetAccountSettingAsync(registry, name, cancellationToken) ?? AccountSettings.DefaultOf(name);

    private async Task<DomainError> MissingRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? DomainError.RepositoryNotFound(repository)
            : PolicyErrors.RepositoryPolicyNotFound(repository);

    /// <summary>
    /// Whether the caller, with its identity policies and the registry policy as they stand, could not set a policy
    /// on the repository again once <paramref name="policy"/> is in place.
    /// </summary>
    private async Task<bool> LocksOutAsync(AuthorizationRequest asked, RepositoryKey repository, PolicyDocument policy, CancellationToken cancellationToken)
    {
        var caller = asked.Principal;
        var identity = new List<PolicyDocument>();
        if (caller.Kind == PrincipalKind.User && PolicyAuthorizer.UserNameOf(caller) is { } user)
        {
            foreach (var attached in await store.Users.ListPoliciesAsync(caller.AccountId, user, cancellationToken))
            {
                if (PolicyParser.Parse(attached.Document, PolicyKind.Identity) is { Policy: { } parsed })
                {
                    identity.Add(parsed);
                }
            }
        }

        var resource = RegistryResource.Of(repository);
        if (PolicyAuthorizer.IsRootRepair(caller, SetRepositoryPolicyAction, resource))
        {
            return false;
        }

        var registryPolicy = await cache.RegistryPolicyAsync(repository.Scope, SetRepositoryPolicyAction, cancellationToken);
        List<PolicyDocument> inPlay = [.. identity, policy];
        if (registryPolicy is not null)
        {
            inPlay.Add(registryPolicy);
        }

        // The same call again, from the same place, as the authorizer would see it.
        var again = asked with { Action = SetRepositoryPolicyAction, Resource = resource };
        var request = await PolicyAuthorizer.FactsAsync(store, again, inPlay, time.GetUtcNow(), cancellationToken);
        return PolicyEvaluator.Evaluate(request, identity, policy, registryPolicy) != PolicyDecision.Allow;
    }
}
