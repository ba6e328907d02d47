using Berth.Domain;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Access keys in SQLite.</summary>
internal sealed class SqliteAccessKeyStore(SqliteDatabase database) : IAccessKeyStore
{
    private const string Columns = "access_key_id, secret_access_key, account_id, created_at, user_name, status";

    public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM access_keys WHERE access_key_id = $p0", accessKeyId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }));

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = SqlHelpers.Command(connection, null, "SELECT COUNT(*) FROM access_keys");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));

    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // The key names its user as the user was created, whatever case the caller wrote.
            string? user = null;
            if (key.UserName is { } named && (user = SqliteUserStore.StoredName(connection, transaction, key.AccountId, named)) is null)
            {
                return false;
            }

            SqlHelpers.NonQuery(connection, transaction,
                $"INSERT INTO access_keys ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)",
                key.AccessKeyId, key.SecretAccessKey, key.AccountId, key.CreatedAt.ToUnixTimeMilliseconds(), user, key.Status.ToString());
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<AccessKey>>(connection =>
        {
            using var command = accountId is null
                ? SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM access_keys ORDER BY account_id, access_key_id")
                : SqlHelpers.Command(connection, null, $"SELECT {Columns} FROM access_keys WHERE account_id = $p0 ORDER BY access_key_id", accountId);
            using var reader = command.ExecuteReader();
            var keys = new List<AccessKey>();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }

            return keys;
        }));

    public Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            SqlHelpers.NonQuery(connection, transaction, "UPDATE access_keys SET status = $p1 WHERE access_key_id = $p0", accessKeyId, status.ToString()) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            SqlHelpers.NonQuery(connection, transaction, "DELETE FROM access_keys WHERE access_key_id = $p0", accessKeyId) == 1,
            cancellationToken);

    public Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            SqlHelpers.NonQuery(connection, transaction,
                "UPDATE access_keys SET secret_access_key = $p2 WHERE access_key_id = $p0 AND secret_access_key = $p1",
                accessKeyId, expected, replacement) == 1,
            cancellationToken);

    private static AccessKey ReadKey(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlHelpers.FromMillis(reader.GetInt64(3)))
        {
            UserName = reader.IsDBNull(4) ? null : reader.GetString(4),
            Status = reader.GetString(5) == nameof(AccessKeyStatus.Inactive) ? AccessKeyStatus.Inactive : AccessKeyStatus.Active,
        };
}
