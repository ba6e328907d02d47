using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Named secrets, one row per registry and name, the value sealed by the domain.</summary>
internal sealed class SqlSecretStore(ISqlDatabase database) : ISecretStore
{
    private const string Columns = "account_id, region, name, sealed_value, created_at, updated_at";

    public Task<bool> PutAsync(RegistryScope registry, string name, string sealedValue, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                var existed = db.Exists("SELECT 1 FROM secrets WHERE account_id = $p0 AND region = $p1 AND name = $p2", registry.AccountId, registry.Region, name);
                db.NonQuery(
                    $"""
                    INSERT INTO secrets ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p4)
                    ON CONFLICT (account_id, region, name) DO UPDATE SET sealed_value = excluded.sealed_value, updated_at = excluded.updated_at
                    """,
                    registry.AccountId, registry.Region, name, sealedValue, at.ToUnixTimeMilliseconds());
                return !existed;
            },
            cancellationToken);

    public Task<StoredSecret?> GetAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(
            db =>
            {
                using var find = db.Command($"SELECT {Columns} FROM secrets WHERE account_id = $p0 AND region = $p1 AND name = $p2", registry.AccountId, registry.Region, name);
                using var reader = find.ExecuteReader();
                return reader.Read() ? Read(reader) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<StoredSecret>> ListAsync(RegistryScope? registry, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredSecret>>(
            db =>
            {
                using var list = registry is { } scope
                    ? db.Command($"SELECT {Columns} FROM secrets WHERE account_id = $p0 AND region = $p1 ORDER BY account_id, region, name", scope.AccountId, scope.Region)
                    : db.Command($"SELECT {Columns} FROM secrets ORDER BY account_id, region, name");
                using var reader = list.ExecuteReader();
                var found = new List<StoredSecret>();
                while (reader.Read())
                {
                    found.Add(Read(reader));
                }

                return found;
            },
            cancellationToken);

    public Task<bool> DeleteAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(
            db => db.NonQuery("DELETE FROM secrets WHERE account_id = $p0 AND region = $p1 AND name = $p2", registry.AccountId, registry.Region, name) == 1,
            cancellationToken);

    private static StoredSecret Read(DbDataReader reader) => new(
        new RegistryScope(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        SqlSession.FromMillis(reader.GetInt64(4)),
        SqlSession.FromMillis(reader.GetInt64(5)));
}
