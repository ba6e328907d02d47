using Berth.Domain;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>Background-job leases in Postgres: one row per lease, taken over by whoever finds it expired.</summary>
internal sealed class PostgresLeaseStore(PostgresDatabase database, TimeProvider time) : ILeaseStore
{
    public Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction, LeaseStatements.Acquire,
                name, holder, (now + ttl).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);
    }

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => NonQuery(connection, transaction, LeaseStatements.Release, name, holder), cancellationToken);
}
