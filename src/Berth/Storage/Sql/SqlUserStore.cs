using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>
/// Users and their identity policies. Names compare case-insensitively, as IAM's do
/// (<see cref="SqlDialect.EqualsIgnoringCase"/>); rows keep the spelling the user was created with, and writes that
/// name a user use that spelling, so policies and keys always reference the stored row.
/// </summary>
internal sealed class SqlUserStore : IUserStore
{
    private const string Columns = "account_id, name, arn, created_at";

    private readonly ISqlDatabase _database;

    // Made once from the dialect, so each is one text (one prepared statement on SQLite).
    private readonly string _storedName;
    private readonly string _find;
    private readonly string _deleteKeys;
    private readonly string _delete;
    private readonly string _deletePolicy;
    private readonly string _listPolicies;

    public SqlUserStore(ISqlDatabase database)
    {
        _database = database;
        var dialect = database.Dialect;
        var userName = dialect.EqualsIgnoringCase("user_name", "$p1");
        var name = dialect.EqualsIgnoringCase("name", "$p1");
        _storedName = $"SELECT name FROM users WHERE account_id = $p0 AND {name}";
        _find = $"SELECT {Columns} FROM users WHERE account_id = $p0 AND {name}";
        _deleteKeys = $"DELETE FROM access_keys WHERE account_id = $p0 AND {userName}";
        _delete = $"DELETE FROM users WHERE account_id = $p0 AND {name}";
        _deletePolicy = $"DELETE FROM user_policies WHERE account_id = $p0 AND {userName} AND policy_name = $p2";
        _listPolicies = $"SELECT policy_name, document FROM user_policies WHERE account_id = $p0 AND {userName} ORDER BY policy_name";
    }

    public Task<bool> CreateAsync(User user, CancellationToken cancellationToken) =>
        _database.WriteAsync(db =>
            // One write transaction (SQLite's single writer, PostgreSQL's SERIALIZABLE) makes the check and the
            // insert one step: "Alice" then "alice" is refused.
            StoredName(db, user.AccountId, user.Name) is null
            && db.NonQuery(
                $"INSERT INTO users ({Columns}) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT (account_id, name) DO NOTHING",
                user.AccountId, user.Name, user.Arn, user.CreatedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<User?> FindAsync(string accountId, string name, CancellationToken cancellationToken) =>
        _database.ReadAsync(db =>
        {
            using var command = db.Command(_find, accountId, name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadUser(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        _database.ReadAsync<IReadOnlyList<User>>(db =>
        {
            using var command = accountId is null
                ? db.Command($"SELECT {Columns} FROM users ORDER BY account_id, name")
                : db.Command($"SELECT {Columns} FROM users WHERE account_id = $p0 ORDER BY name", accountId);
            using var reader = command.ExecuteReader();
            var users = new List<User>();
            while (reader.Read())
            {
                users.Add(ReadUser(reader));
            }

            return users;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string name, CancellationToken cancellationToken) =>
        _database.WriteAsync(db =>
        {
            // The user's keys go with it, so nothing can sign as a user that no longer exists.
            db.NonQuery(_deleteKeys, accountId, name);
            return db.NonQuery(_delete, accountId, name) == 1;
        }, cancellationToken);

    public Task<bool> PutPolicyAsync(string accountId, string name, UserPolicy policy, CancellationToken cancellationToken) =>
        _database.WriteAsync(db =>
        {
            if (StoredName(db, accountId, name) is not { } stored)
            {
                return false;
            }

            db.NonQuery(
                """
                INSERT INTO user_policies (account_id, user_name, policy_name, document) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, user_name, policy_name) DO UPDATE SET document = excluded.document
                """,
                accountId, stored, policy.PolicyName, policy.Document);
            return true;
        }, cancellationToken);

    public Task<bool> DeletePolicyAsync(string accountId, string name, string policyName, CancellationToken cancellationToken) =>
        _database.WriteAsync(db => db.NonQuery(_deletePolicy, accountId, name, policyName) == 1, cancellationToken);

    public Task<IReadOnlyList<UserPolicy>> ListPoliciesAsync(string accountId, string name, CancellationToken cancellationToken) =>
        _database.ReadAsync<IReadOnlyList<UserPolicy>>(db =>
        {
            using var command = db.Command(_listPolicies, accountId, name);
            using var reader = command.ExecuteReader();
            var policies = new List<UserPolicy>();
            while (reader.Read())
            {
                policies.Add(new UserPolicy(reader.GetString(0), reader.GetString(1)));
            }

            return policies;
        }, cancellationToken);

    /// <summary>The stored spelling of the account's user named <paramref name="name"/> in any case, or null.</summary>
    internal string? StoredName(SqlSession db, string accountId, string name)
    {
        using var command = db.Command(_storedName, accountId, name);
        return command.ExecuteScalar() as string;
    }

    private static User ReadUser(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlSession.FromMillis(reader.GetInt64(3)));
}
