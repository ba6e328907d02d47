namespace Berth.Domain;

/// <summary>
/// Named, expiring leases in the shared database, so that of several nodes on one database only one runs a background
/// job at a time, and another takes it over once the holder stops renewing. Expiry times come from the store's clock.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="ttl"/> from now when
    /// it is free, expired, or already this holder's (which renews it); false when another holder's lease is unexpired.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Frees the lease if <paramref name="holder"/> holds it; does nothing otherwise.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}
