namespace Berth.Domain;

/// <summary>One registry: an account in a region. Every repository belongs to exactly one.</summary>
public readonly record struct RegistryScope(string AccountId, string Region)
{
    public RepositoryKey Repository(string name) => new(AccountId, Region, name);
}

/// <summary>The full identity of a repository: the same name in another account or region is another repository.</summary>
public readonly record struct RepositoryKey(string AccountId, string Region, string Name)
{
    public RegistryScope Scope => new(AccountId, Region);
}
