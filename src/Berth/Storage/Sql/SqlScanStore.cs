using System.Data.Common;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Outbox;
using Berth.Domain.Scanning;

namespace Berth.Storage.Sql;

/// <summary>Registry scanning configurations and the latest scan of each image (<c>image_scans</c>, one row per image).</summary>
internal sealed class SqlScanStore(ISqlDatabase database) : IScanStore
{
    private const string ScanColumns = "digest, status, description, requested_at, completed_at, source_updated_at, severity_counts";

    public Task<RegistryScanningConfiguration?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync(
            db =>
            {
                using var find = db.Command("SELECT scan_type, rules FROM registry_scanning_configurations WHERE account_id = $p0 AND region = $p1", registry.AccountId, registry.Region);
                using var reader = find.ExecuteReader();
                return reader.Read() ? new RegistryScanningConfiguration(reader.GetString(0), ScanJson.Rules(reader.GetString(1))) : null;
            },
            cancellationToken);

    public Task PutConfigurationAsync(RegistryScope registry, RegistryScanningConfiguration configuration, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(
                "INSERT INTO registry_scanning_configurations (account_id, region, scan_type, rules) VALUES ($p0, $p1, $p2, $p3) "
                + "ON CONFLICT (account_id, region) DO UPDATE SET scan_type = excluded.scan_type, rules = excluded.rules",
                registry.AccountId, registry.Region, configuration.ScanType, ScanJson.Rules(configuration.Rules)),
            cancellationToken);

    public Task<IReadOnlyList<(RegistryScope Registry, RegistryScanningConfiguration Configuration)>> ListConfigurationsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<(RegistryScope, RegistryScanningConfiguration)>>(
            db =>
            {
                using var list = db.Command("SELECT account_id, region, scan_type, rules FROM registry_scanning_configurations ORDER BY account_id, region");
                using var reader = list.ExecuteReader();
                var all = new List<(RegistryScope, RegistryScanningConfiguration)>();
                while (reader.Read())
                {
                    all.Add((new RegistryScope(reader.GetString(0), reader.GetString(1)), new RegistryScanningConfiguration(reader.GetString(2), ScanJson.Rules(reader.GetString(3)))));
                }

                return all;
            },
            cancellationToken);

    public Task<ImageScan?> GetAsync(RepositoryKey repository, Digest digest, bool withFindings, CancellationToken cancellationToken) =>
        database.ReadAsync(
            db =>
            {
                if (db.FindRepositoryId(repository) is not { } id)
                {
                    return null;
                }

                using var find = db.Command(
                    $"SELECT {ScanColumns}{(withFindings ? ", findings" : string.Empty)} FROM image_scans WHERE repository_id = $p0 AND digest = $p1",
                    id, digest.ToString());
                using var reader = find.ExecuteReader();
                return reader.Read() ? Read(reader, withFindings) : null;
            },
            cancellationToken);

    public Task<IReadOnlyDictionary<Digest, ImageScan>> GetManyAsync(RepositoryKey repository, IReadOnlyList<Digest> digests, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<Digest, ImageScan>>(
            db =>
            {
                var found = new Dictionary<Digest, ImageScan>();
                if (digests.Count == 0 || db.FindRepositoryId(repository) is not { } id)
                {
                    return found;
                }

                foreach (var digest in digests)
                {
                    using var find = db.Command($"SELECT {ScanColumns} FROM image_scans WHERE repository_id = $p0 AND digest = $p1", id, digest.ToString());
                    using var reader = find.ExecuteReader();
                    if (reader.Read())
                    {
                        found[digest] = Read(reader, false);
                    }
                }

                return found;
            },
            cancellationToken);

    public Task<ScanRequestOutcome> RequestAsync(RepositoryKey repository, Digest digest, string status, DateTimeOffset now, TimeSpan quotaWindow, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                if (db.FindRepositoryId(repository) is not { } id
                    || !db.Exists("SELECT 1 FROM images WHERE repository_id = $p0 AND digest = $p1", id, digest.ToString()))
                {
                    return ScanRequestOutcome.ImageNotFound;
                }

                using (var last = db.Command("SELECT requested_at FROM image_scans WHERE repository_id = $p0 AND digest = $p1", id, digest.ToString()))
                {
                    if (last.ExecuteScalar() is { } value and not DBNull
                        && Convert.ToInt64(value, CultureInfo.InvariantCulture) > (now - quotaWindow).ToUnixTimeMilliseconds())
                    {
                        return ScanRequestOutcome.QuotaExceeded;
                    }
                }

                db.NonQuery(
                    "INSERT INTO image_scans (repository_id, digest, status, description, requested_at) VALUES ($p0, $p1, $p2, NULL, $p3) "
                    + "ON CONFLICT (repository_id, digest) DO UPDATE SET status = excluded.status, description = NULL, requested_at = excluded.requested_at, "
                    + "completed_at = NULL, source_updated_at = NULL, severity_counts = NULL, findings = NULL",
                    id, digest.ToString(), status, now.ToUnixTimeMilliseconds());
                return ScanRequestOutcome.Queued;
            },
            cancellationToken);

    public Task<int> QueueRepositoryAsync(RepositoryKey repository, string status, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.FindRepositoryId(repository) is not { } id
                ? 0
                : db.NonQuery(
                    "INSERT INTO image_scans (repository_id, digest, status, requested_at) SELECT repository_id, digest, $p1, $p2 FROM images WHERE repository_id = $p0 "
                    + "ON CONFLICT (repository_id, digest) DO UPDATE SET status = excluded.status, requested_at = excluded.requested_at",
                    id, status, now.ToUnixTimeMilliseconds()),
            cancellationToken);

    public Task<IReadOnlyList<QueuedScan>> ListQueuedAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<QueuedScan>>(
            db =>
            {
                using var list = db.Command(
                    "SELECT r.account_id, r.region, r.name, s.digest, s.requested_at, s.status FROM image_scans s JOIN repositories r ON r.id = s.repository_id "
                    + "WHERE s.status IN ('IN_PROGRESS', 'PENDING') ORDER BY s.requested_at, s.repository_id, s.digest LIMIT $p0",
                    limit);
                using var reader = list.ExecuteReader();
                var queued = new List<QueuedScan>();
                while (reader.Read())
                {
                    queued.Add(new QueuedScan(
                        new RepositoryKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                        Digest.Parse(reader.GetString(3)),
                        SqlSession.FromMillis(reader.GetInt64(4)),
                        reader.GetString(5)));
                }

                return queued;
            },
            cancellationToken);

    public Task<bool> CompleteAsync(
        RepositoryKey repository, Digest digest, DateTimeOffset requestedAt, ScanResult result, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                var recorded = db.FindRepositoryId(repository) is { } id
                    && db.NonQuery(
                        "UPDATE image_scans SET status = $p2, description = $p3, completed_at = $p4, source_updated_at = $p5, severity_counts = $p6, findings = $p7 "
                        + "WHERE repository_id = $p0 AND digest = $p1 AND requested_at = $p8",
                        id, digest.ToString(), result.Status, result.Description, result.CompletedAt.ToUnixTimeMilliseconds(),
                        result.SourceUpdatedAt?.ToUnixTimeMilliseconds(), result.SeverityCounts is null ? null : ScanJson.Counts(result.SeverityCounts),
                        result.FindingsJson, requestedAt.ToUnixTimeMilliseconds()) == 1;
                if (recorded && outbox.Count > 0)
                {
                    SqlOutboxStore.Insert(db, outbox, result.CompletedAt);
                }

                return recorded;
            },
            cancellationToken);

    private static ImageScan Read(DbDataReader reader, bool withFindings) => new(
        Digest.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        SqlSession.FromMillis(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : SqlSession.FromMillis(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : SqlSession.FromMillis(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : ScanJson.Counts(reader.GetString(6)),
        withFindings && !reader.IsDBNull(7) ? reader.GetString(7) : null);
}
