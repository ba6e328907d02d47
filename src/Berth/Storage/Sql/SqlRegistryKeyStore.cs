using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>The registry's keys and its first access key, each created in one write transaction.</summary>
/// <remarks>
/// Both backends run a write so that other writers cannot interleave with it (SQLite's single writer, PostgreSQL's
/// SERIALIZABLE transactions retried on conflict), so "if absent" and "if none" hold against nodes doing the same at
/// once: a loser's retried transaction finds the winner's row.
/// </remarks>
internal sealed class SqlRegistryKeyStore(ISqlDatabase database) : IRegistryKeyStore
{
    private const string Add = "INSERT INTO registry_keys (name, value) VALUES ($p0, $p1) ON CONFLICT (name) DO NOTHING";

    private const string Find = "SELECT value FROM registry_keys WHERE name = $p0";

    // A root key ($p0 id, $p1 sealed secret, $p2 account, $p3 created at, $p4 status), stored only if there is no key at all.
    private const string AddFirstAccessKey = """
        INSERT INTO access_keys (access_key_id, secret_access_key, account_id, created_at, user_name, status)
        SELECT $p0, $p1, $p2, $p3, NULL, $p4
        WHERE NOT EXISTS (SELECT 1 FROM access_keys)
        """;

    public Task<string> AddIfAbsentAsync(string name, string value, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                db.NonQuery(Add, name, value);
                using var find = db.Command(Find, name);
                return (string)find.ExecuteScalar()!;
            },
            cancellationToken);

    public Task<bool> AddFirstAccessKeyAsync(AccessKey key, CancellationToken cancellationToken)
    {
        // The first key is an account root's: it names no user, so no user row must exist for it.
        if (key.UserName is not null)
        {
            throw new ArgumentException("The first access key is an account root's; it names no user.", nameof(key));
        }

        return database.WriteAsync(
            db => db.NonQuery(AddFirstAccessKey, key.AccessKeyId, key.SecretAccessKey, key.AccountId, key.CreatedAt.ToUnixTimeMilliseconds(), key.Status.ToString()) == 1,
            cancellationToken);
    }
}
