using Berth.Domain;

namespace Berth.Storage.Sqlite;

/// <summary>Access keys in SQLite.</summary>
internal sealed class SqliteAccessKeyStore(SqliteDatabase database) : IAccessKeyStore
{
    public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = SqlHelpers.Command(connection, null, "SELECT access_key_id, secret_access_key, account_id, created_at FROM access_keys WHERE access_key_id = $id");
            command.Parameters.AddWithValue("$id", accessKeyId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlHelpers.FromMillis(reader.GetInt64(3)))
                : null;
        }));

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = SqlHelpers.Command(connection, null, "SELECT COUNT(*) FROM access_keys");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));

    public Task AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = SqlHelpers.Command(connection, transaction,
                "INSERT INTO access_keys (access_key_id, secret_access_key, account_id, created_at) VALUES ($id, $secret, $account, $created)");
            command.Parameters.AddWithValue("$id", key.AccessKeyId);
            command.Parameters.AddWithValue("$secret", key.SecretAccessKey);
            command.Parameters.AddWithValue("$account", key.AccountId);
            command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
