namespace Berth.Domain;

/// <summary>
/// Named secrets of a registry (the stand-in for Secrets Manager that pull-through rules' credential ARNs name). The
/// value arrives sealed (the domain seals it before it gets here); names compare exactly. Each method is one transaction.
/// </summary>
public interface ISecretStore
{
    /// <summary>Creates the secret, or replaces the value of an existing one (keeping its creation time); true when created.</summary>
    Task<bool> PutAsync(RegistryScope registry, string name, string sealedValue, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The secret with this name, or null.</summary>
    Task<StoredSecret?> GetAsync(RegistryScope registry, string name, CancellationToken cancellationToken);

    /// <summary>Every secret of the registry (or of every registry when null), ordered by account, region, name.</summary>
    Task<IReadOnlyList<StoredSecret>> ListAsync(RegistryScope? registry, CancellationToken cancellationToken);

    /// <summary>Deletes the secret; false when there was none.</summary>
    Task<bool> DeleteAsync(RegistryScope registry, string name, CancellationToken cancellationToken);
}

/// <summary>A secret as stored: its value still sealed.</summary>
public sealed record StoredSecret(RegistryScope Registry, string Name, string SealedValue, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
