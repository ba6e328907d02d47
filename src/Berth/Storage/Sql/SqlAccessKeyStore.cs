using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Access keys; a user's key names the user as the user store holds it.</summary>
internal sealed class SqlAccessKeyStore(ISqlDatabase database) : IAccessKeyStore
{
    // Holds nothing but its statements: here for the stored spelling of a key's user.
    private readonly SqlUserStore _users = new(database);

    private const string Columns = "access_key_id, secret_access_key, account_id, created_at, user_name, status";

    public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command($"SELECT {Columns} FROM access_keys WHERE access_key_id = $p0", accessKeyId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command("SELECT COUNT(*) FROM access_keys");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            // The key names its user as the user was created, whatever case the caller wrote.
            string? user = null;
            if (key.UserName is { } named && (user = _users.StoredName(db, key.AccountId, named)) is null)
            {
                return false;
            }

            db.NonQuery(
                $"INSERT INTO access_keys ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)",
                key.AccessKeyId, key.SecretAccessKey, key.AccountId, key.CreatedAt.ToUnixTimeMilliseconds(), user, key.Status.ToString());
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AccessKey>>(db =>
        {
            using var command = accountId is null
                ? db.Command($"SELECT {Columns} FROM access_keys ORDER BY account_id, access_key_id")
                : db.Command($"SELECT {Columns} FROM access_keys WHERE account_id = $p0 ORDER BY access_key_id", accountId);
            using var reader = command.ExecuteReader();
            var keys = new List<AccessKey>();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }

            return keys;
        }, cancellationToken);

    public Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
            db.NonQuery("UPDATE access_keys SET status = $p1 WHERE access_key_id = $p0", accessKeyId, status.ToString()) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
            db.NonQuery("DELETE FROM access_keys WHERE access_key_id = $p0", accessKeyId) == 1,
            cancellationToken);

    public Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
            db.NonQuery(
                "UPDATE access_keys SET secret_access_key = $p2 WHERE access_key_id = $p0 AND secret_access_key = $p1",
                accessKeyId, expected, replacement) == 1,
            cancellationToken);

    private static AccessKey ReadKey(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlSession.FromMillis(reader.GetInt64(3)))
        {
            UserName = reader.IsDBNull(4) ? null : reader.GetString(4),
            Status = reader.GetString(5) == nameof(AccessKeyStatus.Inactive) ? AccessKeyStatus.Inactive : AccessKeyStatus.Active,
        };
}
