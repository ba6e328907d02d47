namespace Berth.Storage;

/// <summary>The registry-key statements, the same text for SQLite and PostgreSQL (both bind <c>$p0</c>, <c>$p1</c>, ...).</summary>
/// <remarks>
/// Both backends run each write in one transaction that other writers cannot interleave with (SQLite's single writer,
/// PostgreSQL's SERIALIZABLE with retries), so "if absent" and "if none" hold against nodes doing the same at once.
/// </remarks>
internal static class RegistryKeyStatements
{
    /// <summary>Stores value $p1 under name $p0 unless the name is taken.</summary>
    public const string Add = "INSERT INTO registry_keys (name, value) VALUES ($p0, $p1) ON CONFLICT (name) DO NOTHING";

    /// <summary>The value stored under name $p0.</summary>
    public const string Find = "SELECT value FROM registry_keys WHERE name = $p0";

    /// <summary>Stores a root access key ($p0 id, $p1 sealed secret, $p2 account, $p3 created at, $p4 status) only if there is no key at all.</summary>
    public const string AddFirstAccessKey = """
        INSERT INTO access_keys (access_key_id, secret_access_key, account_id, created_at, user_name, status)
        SELECT $p0, $p1, $p2, $p3, NULL, $p4
        WHERE NOT EXISTS (SELECT 1 FROM access_keys)
        """;

    /// <summary>The first key is an account root's: it names no user, so no user row must exist for it.</summary>
    public static void CheckRootKey(Domain.AccessKey key)
    {
        if (key.UserName is not null)
        {
            throw new ArgumentException("The first access key is an account root's; it names no user.", nameof(key));
        }
    }
}
