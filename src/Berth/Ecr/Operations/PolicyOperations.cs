using Berth.Domain;
using Berth.Domain.Policies;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Repository and registry policies, and account settings.</summary>
public sealed class PolicyOperations(ResourcePolicyService policies)
{
    public async Task<EcrResult> SetRepositoryPolicyAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.SetRepositoryPolicyRequest);
        var repository = request.Scope.Repository(input.RepositoryName);
        var stored = await policies.SetRepositoryPolicyAsync(
            request.Asked, repository, input.PolicyText, input.Force ?? false, request.CancellationToken);
        return RepositoryAnswer(repository, stored);
    }

    public async Task<EcrResult> GetRepositoryPolicyAsync(EcrRequest request)
    {
        var repository = RepositoryOf(request);
        return RepositoryAnswer(repository, await policies.GetRepositoryPolicyAsync(repository, request.CancellationToken));
    }

    public async Task<EcrResult> DeleteRepositoryPolicyAsync(EcrRequest request)
    {
        var repository = RepositoryOf(request);
        return RepositoryAnswer(repository, await policies.DeleteRepositoryPolicyAsync(repository, request.CancellationToken));
    }

    public async Task<EcrResult> PutRegistryPolicyAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutRegistryPolicyRequest);
        return RegistryAnswer(request.Scope, await policies.PutRegistryPolicyAsync(request.Scope, input.PolicyText, request.CancellationToken));
    }

    public async Task<EcrResult> GetRegistryPolicyAsync(EcrRequest request) =>
        RegistryAnswer(request.Scope, await policies.GetRegistryPolicyAsync(request.Scope, request.CancellationToken));

    public async Task<EcrResult> DeleteRegistryPolicyAsync(EcrRequest request) =>
        RegistryAnswer(request.Scope, await policies.DeleteRegistryPolicyAsync(request.Scope, request.CancellationToken));

    public async Task<EcrResult> GetAccountSettingAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.GetAccountSettingRequest);
        return SettingAnswer(input.Name, await policies.GetAccountSettingAsync(request.Scope, input.Name, request.CancellationToken));
    }

    public async Task<EcrResult> PutAccountSettingAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutAccountSettingRequest);
        return SettingAnswer(input.Name, await policies.PutAccountSettingAsync(request.Scope, input.Name, input.Value, request.CancellationToken));
    }

    private static RepositoryKey RepositoryOf(EcrRequest request) =>
        request.Scope.Repository(request.Bind(EcrJsonContext.Default.RepositoryPolicyRequest).RepositoryName);

    private static EcrResult RepositoryAnswer(RepositoryKey repository, Result<string> text) =>
        text.IsSuccess
            ? EcrResult.Ok(new RepositoryPolicyResponse(repository.AccountId, repository.Name, text.Value), EcrJsonContext.Default.RepositoryPolicyResponse)
            : text.Error!;

    private static EcrResult RegistryAnswer(RegistryScope registry, Result<string> text) =>
        text.IsSuccess
            ? EcrResult.Ok(new RegistryPolicyResponse(registry.AccountId, text.Value), EcrJsonContext.Default.RegistryPolicyResponse)
            : text.Error!;

    private static EcrResult SettingAnswer(string name, Result<string> value) =>
        value.IsSuccess
            ? EcrResult.Ok(new AccountSettingResponse(name, value.Value), EcrJsonContext.Default.AccountSettingResponse)
            : value.Error!;
}
