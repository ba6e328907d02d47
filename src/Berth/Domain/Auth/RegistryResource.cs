namespace Berth.Domain.Auth;

/// <summary>What an action is authorized on: a whole registry, or one repository in it.</summary>
public readonly record struct RegistryResource(RegistryScope Registry, string? RepositoryName)
{
    // No repository can have this name (RepositoryNames refuses it), so it cannot be mistaken for one.
    private const string AllRepositoriesName = "*";

    public static RegistryResource Of(RegistryScope registry) => new(registry, null);

    public static RegistryResource Of(RepositoryKey repository) => new(repository.Scope, repository.Name);

    /// <summary>
    /// Every repository of the registry (<c>repository/*</c>), what ECR authorizes listing repositories on, so a registry
    /// or identity policy granting DescribeRepositories on <c>repository/*</c> covers it.
    /// </summary>
    public static RegistryResource AllRepositories(RegistryScope registry) => new(registry, AllRepositoriesName);

    /// <summary>True for one named repository (not the registry, not every repository).</summary>
    public bool IsSingleRepository => RepositoryName is not null and not AllRepositoriesName;

    public string AccountId => Registry.AccountId;

    /// <summary>The repository's key; only for a repository resource.</summary>
    public RepositoryKey Repository => Registry.Repository(RepositoryName ?? throw new InvalidOperationException("A registry resource names no repository."));

    /// <summary>The ARN IAM evaluates and error messages name.</summary>
    public string Arn => RepositoryName is null
        ? $"arn:{RepositoryArn.Partition(Registry.Region)}:ecr:{Registry.Region}:{Registry.AccountId}:registry"
        : RepositoryArn.Format(Repository);
}
