using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Background-job leases: one row per lease, taken over by whoever finds it expired.</summary>
internal sealed class SqlLeaseStore(ISqlDatabase database, TimeProvider time) : ILeaseStore
{
    public Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.WriteAsync(
            db => db.NonQuery(LeaseStatements.Acquire, name, holder, (now + ttl).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);
    }

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync(db => db.NonQuery(LeaseStatements.Release, name, holder), cancellationToken);
}
