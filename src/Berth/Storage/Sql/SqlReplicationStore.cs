using Berth.Domain;
using Berth.Domain.Replication;

namespace Berth.Storage.Sql;

/// <summary>Replication configurations (one row per registry) and per-destination outcomes (one row per image and destination).</summary>
internal sealed class SqlReplicationStore(ISqlDatabase database) : IReplicationStore
{
    public Task<string?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var select = db.Command("SELECT configuration FROM replication_configurations WHERE account_id = $p0 AND region = $p1", registry.AccountId, registry.Region);
            return select.ExecuteScalar() as string;
        }, cancellationToken);

    public Task PutConfigurationAsync(RegistryScope registry, string configuration, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(
                """
                INSERT INTO replication_configurations (account_id, region, configuration) VALUES ($p0, $p1, $p2)
                ON CONFLICT (account_id, region) DO UPDATE SET configuration = excluded.configuration
                """,
                registry.AccountId, registry.Region, configuration),
            cancellationToken);

    public Task<IReadOnlyList<ReplicationStatus>> ListStatusesAsync(RepositoryKey source, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ReplicationStatus>>(db =>
        {
            using var select = db.Command(
                """
                SELECT destination_region, destination_registry, status, failure_code FROM replication_statuses
                WHERE account_id = $p0 AND region = $p1 AND repository_name = $p2 AND digest = $p3
                ORDER BY destination_region, destination_registry
                """,
                source.AccountId, source.Region, source.Name, digest.ToString());
            using var reader = select.ExecuteReader();
            var statuses = new List<ReplicationStatus>();
            while (reader.Read())
            {
                statuses.Add(new ReplicationStatus(
                    new ReplicationDestination(reader.GetString(0), reader.GetString(1)),
                    ReplicationStateNames.Parse(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }

            return statuses;
        }, cancellationToken);

    public Task SetStatusAsync(RepositoryKey source, Digest digest, ReplicationStatus status, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(
                """
                INSERT INTO replication_statuses (account_id, region, repository_name, digest, destination_region, destination_registry, status, failure_code, updated_at)
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8)
                ON CONFLICT (account_id, region, repository_name, digest, destination_region, destination_registry)
                DO UPDATE SET status = excluded.status, failure_code = excluded.failure_code, updated_at = excluded.updated_at
                """,
                source.AccountId, source.Region, source.Name, digest.ToString(), status.Destination.Region, status.Destination.RegistryId,
                ReplicationStateNames.Of(status.State), status.FailureCode, at.ToUnixTimeMilliseconds()),
            cancellationToken);
}
