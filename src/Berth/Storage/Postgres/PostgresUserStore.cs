using Berth.Domain;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>Users and their identity policies in PostgreSQL.</summary>
internal sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    private const string Columns = "account_id, name, arn, created_at";

    public Task<bool> CreateAsync(User user, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction,
                $"INSERT INTO users ({Columns}) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT (account_id, name) DO NOTHING",
                user.AccountId, user.Name, user.Arn, user.CreatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null, $"SELECT {Columns} FROM users WHERE account_id = $p0 AND name = $p1", accountId, name);
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
            PgSql.NonQuery(connection, transaction, "DELETE FROM access_keys WHERE account_id = $p0 AND user_name = $p1", accountId, name);
            return PgSql.NonQuery(connection, transaction, "DELETE FROM users WHERE account_id = $p0 AND name = $p1", accountId, name) == 1;
        }, cancellationToken);

    public Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            if (!PgSql.Exists(connection, transaction, "SELECT 1 FROM users WHERE account_id = $p0 AND name = $p1", accountId, name))
            {
                return false;
            }

            PgSql.NonQuery(connection, transaction,
                """
                INSERT INTO user_policies (account_id, user_name, policy_name, document) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, user_name, policy_name) DO UPDATE SET document = excluded.document
                """,
                accountId, name, policy.PolicyName, policy.Document);
            return true;
        }, cancellationToken);

    public Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction,
                "DELETE FROM user_policies WHERE account_id = $p0 AND user_name = $p1 AND policy_name = $p2", accountId, name, policyName) == 1,
            cancellationToken);

    public Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UserPolicy>>(connection =>
        {
            using var command = PgSql.Command(connection, null,
                "SELECT policy_name, document FROM user_policies WHERE account_id = $p0 AND user_name = $p1 ORDER BY policy_name", accountId, name);
            using var reader = command.ExecuteReader();
            var policies = new List<UserPolicy>();
            while (reader.Read())
            {
                policies.Add(new UserPolicy(reader.GetString(0), reader.GetString(1)));
            }

            return policies;
        }, cancellationToken);

    private static User ReadUser(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), PgSql.FromMillis(reader.GetInt64(3)));
}
