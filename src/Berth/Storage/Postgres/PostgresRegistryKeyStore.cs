using Berth.Domain;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>
/// The registry's keys and first access key in PostgreSQL. Each write is one SERIALIZABLE transaction: of nodes racing
/// on an empty table, the losers' transactions abort and, retried, find the winner's row.
/// </summary>
internal sealed class PostgresRegistryKeyStore(PostgresDatabase database) : IRegistryKeyStore
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
