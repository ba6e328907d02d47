namespace Berth.Domain;

/// <summary>
/// Repository and registry policies, and a registry's account settings. Policy texts are stored exactly as given
/// (ECR returns them verbatim); checking them is the domain's job. Each method is one transaction.
/// </summary>
public interface IPolicyStore
{
    /// <summary>The repository's policy text; null when it has none or the repository does not exist.</summary>
    Task<string?> GetRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>Stores the text, replacing any policy; false when the repository does not exist.</summary>
    Task<bool> SetRepositoryPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken);

    /// <summary>Removes and returns the repository's policy text; null when there was none or no such repository.</summary>
    Task<string?> DeleteRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken);

    /// <summary>The registry's policy text, or null.</summary>
    Task<string?> GetRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>Stores the registry's policy text, replacing any (a registry needs no record of its own to have one).</summary>
    Task PutRegistryPolicyAsync(RegistryScope registry, string policyText, CancellationToken cancellationToken);

    /// <summary>Removes and returns the registry's policy text, or null when there was none.</summary>
    Task<string?> DeleteRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>The value stored for the named setting (names compare exactly), or null when it was never put.</summary>
    Task<string?> GetAccountSettingAsync(RegistryScope registry, string name, CancellationToken cancellationToken);

    /// <summary>Stores the setting's value, replacing any.</summary>
    Task PutAccountSettingAsync(RegistryScope registry, string name, string value, CancellationToken cancellationToken);
}
