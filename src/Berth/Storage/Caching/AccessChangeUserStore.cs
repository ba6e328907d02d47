using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Storage.Caching;

/// <summary>Users and policies that move <see cref="AccessChanges"/> on after each write, for the decision cache.</summary>
internal sealed class AccessChangeUserStore(IUserStore inner, AccessChanges changes) : IUserStore
{
    public Task<bool> CreateAsync(User user, CancellationToken cancellationToken) => changes.After(inner.CreateAsync(user, cancellationToken));

    public Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken) => inner.FindAsync(accountId, name, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(string? accountId, CancellationToken cancellationToken) => inner.ListAsync(accountId, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        changes.After(inner.DeleteAsync(accountId, name, cancellationToken));

    public Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken) =>
        changes.After(inner.PutPolicyAsync(accountId, name, policy, cancellationToken));

    public Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken) =>
        changes.After(inner.DeletePolicyAsync(accountId, name, policyName, cancellationToken));

    public Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken) =>
        inner.ListPoliciesAsync(accountId, name, cancellationToken);
}
