using Berth.Domain;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>Access keys in PostgreSQL.</summary>
internal sealed class PostgresAccessKeyStore(PostgresDatabase database) : IAccessKeyStore
{
    private const string Columns = "access_key_id, secret_access_key, account_id, created_at, user_name, status";

    public Task<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null, $"SELECT {Columns} FROM access_keys WHERE access_key_id = $p0", accessKeyId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null, "SELECT COUNT(*) FROM access_keys");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // The key names its user as the user was created, whatever case the caller wrote.
            string? user = null;
            if (key.UserName is { } named && (user = PostgresUserStore.StoredName(connection, transaction, key.AccountId, named)) is null)
            {
                return false;
            }

            PgSql.NonQuery(connection, transaction,
                $"INSERT INTO access_keys ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)",
                key.AccessKeyId, key.SecretAccessKey, key.AccountId, key.CreatedAt.ToUnixTimeMilliseconds(), user, key.Status.ToString());
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessKey>> ListAsync(string? accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AccessKey>>(connection =>
        {
            using var command = accountId is null
                ? PgSql.Command(connection, null, $"SELECT {Columns} FROM access_keys ORDER BY account_id, access_key_id")
                : PgSql.Command(connection, null, $"SELECT {Columns} FROM access_keys WHERE account_id = $p0 ORDER BY access_key_id", accountId);
            using var reader = command.ExecuteReader();
            var keys = new List<AccessKey>();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }

            return keys;
        }, cancellationToken);

    public Task<bool> SetStatusAsync(string accessKeyId, AccessKeyStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction, "UPDATE access_keys SET status = $p1 WHERE access_key_id = $p0", accessKeyId, status.ToString()) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction, "DELETE FROM access_keys WHERE access_key_id = $p0", accessKeyId) == 1,
            cancellationToken);

    public Task<bool> ReplaceSecretAsync(string accessKeyId, string expected, string replacement, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            PgSql.NonQuery(connection, transaction,
                "UPDATE access_keys SET secret_access_key = $p2 WHERE access_key_id = $p0 AND secret_access_key = $p1",
                accessKeyId, expected, replacement) == 1,
            cancellationToken);

    private static AccessKey ReadKey(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), PgSql.FromMillis(reader.GetInt64(3)))
        {
            UserName = reader.IsDBNull(4) ? null : reader.GetString(4),
            Status = reader.GetString(5) == nameof(AccessKeyStatus.Inactive) ? AccessKeyStatus.Inactive : AccessKeyStatus.Active,
        };
}
