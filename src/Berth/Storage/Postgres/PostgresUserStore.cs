using Berth.Domain;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Users and their identity policies in PostgreSQL. Names compare case-insensitively, as IAM's do (<c>lower()</c> folds
/// ASCII, the only letters a user name may hold); rows keep the spelling the user was created with, and writes that
/// name a user use that spelling, so policies and keys always reference the stored row.
/// </summary>
internal sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    private const string Columns = "account_id, name, arn, created_at";

    // The user's stored spelling, for a name in any case.
    private const string StoredNameQuery = "SELECT name FROM users WHERE account_id = $p0 AND lower(name) = lower($p1)";

    public Task<bool> CreateAsync(User user, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            // Serializable, so the check and the insert are one step: "Alice" then "alice" is refused.
            StoredName(connection, transaction, user.AccountId, user.Name) is null
            && PgSql.NonQuery(connection, transaction,
                $"INSERT INTO users ({Columns}) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT (account_id, name) DO NOTHING",
                user.AccountId, user.Name, user.Arn, user.CreatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null, $"SELECT {Columns} FROM users WHERE account_id = $p0 AND lower(name) = lower($p1)", accountId, name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadUser(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<User>>(connection =>
        {
            using var command = accountId is null
                ? PgSql.Command(connection, null, $"SELECT {Columns} FROM users ORDER BY account_id, name")
                : PgSql.Command(connection, null, $"SELECT {Columns} FROM users WHERE account_id = $p0 ORDER BY name", accountId);
            using var reader = command.ExecuteReader();
            var users = new List<User>();
            while (reader.Read())
            {
                users.Add(ReadUser(reader));
            }

            return users;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // The user's keys go with it, so nothing can sign as a user that no longer exists.
            PgSql.NonQuery(connection, transaction, "DELETE FROM access_keys WHERE account_id = $p0 AND lower(user_name) = lower($p1)", accountId, name);
            return PgSql.NonQuery(connection, transaction, "DELETE FROM users WHERE account_id = $p0 AND lower(name) = lower($p1)", accountId, name) == 1;
        }, cancellationToken);

    public Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            if (StoredName(connection, transaction, accountId, name) is not { } stored)
            {
                return false;
            }

            PgSql.NonQuery(connection, transaction,
                """
                INSERT INTO user_policies (account_id, user_name, policy_name, document) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, user_name, policy_name) DO UPDATE SET document = excluded.document
                """,
                accountId, stored, policy.PolicyName, policy.Document);
            return true;
        }, cancellationToken);

    public Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction,
                "DELETE FROM user_policies WHERE account_id = $p0 AND lower(user_name) = lower($p1) AND policy_name = $p2", accountId, name, policyName) == 1,
            cancellationToken);

    public Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UserPolicy>>(connection =>
        {
            using var command = PgSql.Command(connection, null,
                "SELECT policy_name, document FROM user_policies WHERE account_id = $p0 AND lower(user_name) = lower($p1) ORDER BY policy_name", accountId, name);
            using var reader = command.ExecuteReader();
            var policies = new List<UserPolicy>();
            while (reader.Read())
            {
                policies.Add(new UserPolicy(reader.GetString(0), reader.GetString(1)));
            }

            return policies;
        }, cancellationToken);

    /// <summary>The stored spelling of the account's user named <paramref name="name"/> in any case, or null.</summary>
    internal static string? StoredName(NpgsqlConnection connection, NpgsqlTransaction? transaction, string accountId, string name)
    {
        using var command = PgSql.Command(connection, transaction, StoredNameQuery, accountId, name);
        return command.ExecuteScalar() as string;
    }

    private static User ReadUser(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), PgSql.FromMillis(reader.GetInt64(3)));
}
