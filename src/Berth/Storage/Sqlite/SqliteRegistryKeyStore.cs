using Berth.Domain;
using static Berth.Storage.Sqlite.SqlHelpers;

namespace Berth.Storage.Sqlite;

/// <summary>The registry's keys and first access key in SQLite, each created in one write transaction.</summary>
internal sealed class SqliteRegistryKeyStore(SqliteDatabase database) : IRegistryKeyStore
{
    public Task<string> AddIfAbsentAsync(string name, string value, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            NonQuery(connection, transaction, RegistryKeyStatements.Add, name, value);
            using var find = Command(connection, transaction, RegistryKeyStatements.Find, name);
            return (string)find.ExecuteScalar()!;
        }, cancellationToken);

    public Task<bool> AddFirstAccessKeyAsync(AccessKey key, CancellationToken cancellationToken)
    {
        RegistryKeyStatements.CheckRootKey(key);
        return database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction, RegistryKeyStatements.AddFirstAccessKey,
                key.AccessKeyId, key.SecretAccessKey, key.AccountId, key.CreatedAt.ToUnixTimeMilliseconds(), key.Status.ToString()) == 1,
            cancellationToken);
    }
}
