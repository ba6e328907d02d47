namespace Berth.Domain.Policies;

/// <summary>The errors of the repository and registry policy operations, in ECR's words.</summary>
public static class PolicyErrors
{
    public static DomainError RepositoryPolicyNotFound(RepositoryKey repository) => new(
        ErrorCode.RepositoryPolicyNotFound,
        $"Repository policy does not exist for the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");

    public static DomainError RegistryPolicyNotFound(RegistryScope registry) => new(
        ErrorCode.RegistryPolicyNotFound,
        $"Registry policy does not exist in the registry with id '{registry.AccountId}'");
}
