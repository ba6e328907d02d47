namespace Berth.Domain;

/// <summary>
/// What a registry creates once for all its nodes: its keys (stored sealed, by name; the domain seals them before they
/// get here) and its first access key. Both are created by whichever node gets there first, the others then use theirs.
/// </summary>
public interface IRegistryKeyStore
{
    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="name"/> unless a value is already stored there.
    /// </summary>
    /// <returns>The value stored under the name: this one, or the one stored before (by any node).</returns>
    Task<string> AddIfAbsentAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="key"/> (an account root's key, every other field as given) only if the store holds no access
    /// key at all; of several nodes doing this at once on an empty store exactly one succeeds.
    /// </summary>
    /// <returns>False when some access key already existed.</returns>
    Task<bool> AddFirstAccessKeyAsync(AccessKey key, CancellationToken cancellationToken);
}
