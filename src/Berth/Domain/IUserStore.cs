namespace Berth.Domain;

/// <summary>Users and their attached identity policies. Each method is one transaction.</summary>
public interface IUserStore
{
    /// <summary>
    /// Stores a new user; false when the account already has one of that name in any case (the stored one is kept).
    /// Every method compares names case-insensitively, as IAM does, and a user keeps the spelling it was created with.
    /// </summary>
    Task<bool> CreateAsync(User user, CancellationToken cancellationToken);

    /// <summary>The user with this name in any case in the account, or null.</summary>
    Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken);

    /// <summary>Every user, or every user of one account, ordered by account then name.</summary>
    Task<IReadOnlyList<User>> ListAsync(string? accountId, CancellationToken cancellationToken);

    /// <summary>Deletes the user with its policies and its access keys; false when there was no such user.</summary>
    Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken);

    /// <summary>Attaches (or replaces) the named policy's text; false when there is no such user.</summary>
    Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken);

    /// <summary>Detaches the named policy; false when the user has no policy of that name.</summary>
    Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken);

    /// <summary>The user's policies ordered by name; empty when there is no such user.</summary>
    Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken);
}
