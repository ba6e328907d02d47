namespace Berth.Domain.Auth;

/// <summary>What an action is authorized on: a whole registry, or one repository in it.</summary>
public readonly record struct RegistryResource(RegistryScope Registry, string? RepositoryName)
{
    public static RegistryResource Of(RegistryScope registry) => new(registry, null);

    public static RegistryResource Of(RepositoryKey repository) => new(repository.Scope, repository.Name);

    public string AccountId => Registry.AccountId;

    /// <summary>The repository's key; only for a repository resource.</summary>
    public RepositoryKey Repository => Registry.Repository(RepositoryName ?? throw new InvalidOperationException("A registry resource names no repository."));

    /// <summary>The ARN IAM evaluates and error messages name.</summary>
    public string Arn => RepositoryName is null
        ? $"arn:{RepositoryArn.Partition(Registry.Region)}:ecr:{Registry.Region}:{Registry.AccountId}:registry"
        : RepositoryArn.Format(Repository);
}
