using Berth.Domain;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>Background-job leases in Postgres: one row per lease, taken over by whoever finds it expired.</summary>
internal sealed class PostgresLeaseStore(PostgresDatabase database, TimeProvider time) : ILeaseStore
{
    // One statement, so two nodes racing for a free or expired lease cannot both win: the loser's insert conflicts and
    // its update's condition no longer holds, so it changes no row.
    private const string Acquire = """
        INSERT INTO leases (name, holder, expires_at) VALUES ($p0, $p1, $p2)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= $p3
        """;

    public Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(
            (connection, transaction) =>
                NonQuery(connection, transaction, Acquire, name, holder, (now + ttl).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);
    }

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction, "DELETE FROM leases WHERE name = $p0 AND holder = $p1", name, holder),
            cancellationToken);
}
