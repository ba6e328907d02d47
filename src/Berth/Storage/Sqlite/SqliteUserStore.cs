using Berth.Domain;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Users and their identity policies in SQLite. Names compare case-insensitively, as IAM's do (NOCASE folds ASCII,
/// the only letters a user name may hold); rows keep the spelling the user was created with, and writes that name a
/// user use that spelling, so policies and keys always reference the stored row.
/// </summary>
internal sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = "account_id, name, arn, created_at";

    // The user's stored spelling, for a name in any case.
    private const string StoredNameQuery = "SELECT name FROM users WHERE account_id = $p0 AND name = $p1 COLLATE NOCASE";

    public Task<bool> CreateAsync(User user, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            // The single writer makes the check and the insert one step: "Alice" then "alice" is refused.
            StoredName(connection, transaction, user.AccountId, user.Name) is null
            && SqlHelpers.NonQuery(connection, transaction,
                $"INSERT INTO users ({Columns}) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT (account_id, name) DO NOTHING",
                user.AccountId, user.Name, user.Arn, user.CreatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM users WHERE account_id = $p0 AND name = $p1 COLLATE NOCASE", accountId, name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadUser(reader) : null;
        }));

    public Task<IReadOnlyList<User>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<User>>(connection =>
        {
            using var command = accountId is null
                ? SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM users ORDER BY account_id, name")
                : SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM users WHERE account_id = $p0 ORDER BY name", accountId);
            using var reader = command.ExecuteReader();
            var users = new List<User>();
            while (reader.Read())
            {
                users.Add(ReadUser(reader));
            }

            return users;
        }));

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // The user's keys go with it, so nothing can sign as a user that no longer exists.
            SqlHelpers.NonQuery(connection, transaction, "DELETE FROM access_keys WHERE account_id = $p0 AND user_name = $p1 COLLATE NOCASE", accountId, name);
            return SqlHelpers.NonQuery(connection, transaction, "DELETE FROM users WHERE account_id = $p0 AND name = $p1 COLLATE NOCASE", accountId, name) == 1;
        }, cancellationToken);

    public Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            if (StoredName(connection, transaction, accountId, name) is not { } stored)
            {
                return false;
            }

            SqlHelpers.NonQuery(connection, transaction,
                """
                INSERT INTO user_policies (account_id, user_name, policy_name, document) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, user_name, policy_name) DO UPDATE SET document = excluded.document
                """,
                accountId, stored, policy.PolicyName, policy.Document);
            return true;
        }, cancellationToken);

    public Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            SqlHelpers.NonQuery(connection, transaction,
                "DELETE FROM user_policies WHERE account_id = $p0 AND user_name = $p1 COLLATE NOCASE AND policy_name = $p2", accountId, name, policyName) == 1,
            cancellationToken);

    public Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<UserPolicy>>(connection =>
        {
            using var command = SqlHelpers.Command(connection, null,
                "SELECT policy_name, document FROM user_policies WHERE account_id = $p0 AND user_name = $p1 COLLATE NOCASE ORDER BY policy_name", accountId, name);
            using var reader = command.ExecuteReader();
            var policies = new List<UserPolicy>();
            while (reader.Read())
            {
                policies.Add(new UserPolicy(reader.GetString(0), reader.GetString(1)));
            }

            return policies;
        }));

    /// <summary>The stored spelling of the account's user named <paramref name="name"/> in any case, or null.</summary>
    internal static string? StoredName(SqliteConnection connection, SqliteTransaction? transaction, string accountId, string name)
    {
        using var command = SqlHelpers.Command(connection, transaction, StoredNameQuery, accountId, name);
        return command.ExecuteScalar() as string;
    }

    private static User ReadUser(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlHelpers.FromMillis(reader.GetInt64(3)));
}
