using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Storage.Caching;

/// <summary>Access keys that move <see cref="AccessChanges"/> on after each write, for the decision cache.</summary>
internal sealed class AccessChangeKeyStore(IAccessKeyStore inner, AccessChanges changes) : IAccessKeyStore
{
    public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) => inner.FindAsync(accessKeyId, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) => changes.After(inner.AddAsync(key, cancellationToken));

    public Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken) => inner.ListAsync(accountId, cancellationToken);

    public Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken) =>
        changes.After(inner.SetStatusAsync(accessKeyId, status, cancellationToken));

    public Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken) => changes.After(inner.DeleteAsync(accessKeyId, cancellationToken));

    // A new sealing of the same secret changes nothing authorization reads.
    public Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken) =>
        inner.ReplaceSecretAsync(accessKeyId, expected, replacement, cancellationToken);
}
