using System.Data.Common;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Signing;

namespace Berth.Storage.Sql;

/// <summary>
/// Signing profiles and configurations (one row each, per registry) and image signing jobs (one row per image and
/// profile, going with their repository).
/// </summary>
internal sealed class SqlSigningStore(ISqlDatabase database, TimeProvider time) : ISigningStore
{
    private const string Registry = "account_id = $p0 AND region = $p1";

    private const string ProfileColumns = "account_id, region, name, key_algorithm, sealed_key, certificate_chain, created_at, not_after";

    private const string JobColumns = """
        r.account_id, r.region, r.name, j.digest, j.profile_arn, j.status, j.failure_code, j.failure_reason, j.queued_at
        """;

    public Task<bool> AddProfileAsync(SigningProfile profile, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(
                $"INSERT INTO signing_profiles ({ProfileColumns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7) ON CONFLICT (account_id, region, name) DO NOTHING",
                profile.Registry.AccountId,
                profile.Registry.Region,
                profile.Name,
                profile.Algorithm.ToString(),
                profile.SealedPrivateKey,
                string.Join(',', profile.CertificateChain.Select(Convert.ToBase64String)),
                profile.CreatedAt.ToUnixTimeMilliseconds(),
                profile.NotAfter.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<SigningProfile?> GetProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(
            db =>
            {
                using var find = db.Command($"SELECT {ProfileColumns} FROM signing_profiles WHERE {Registry} AND name = $p2", registry.AccountId, registry.Region, name);
                using var reader = find.ExecuteReader();
                return reader.Read() ? ReadProfile(reader) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<SigningProfile>> ListProfilesAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<SigningProfile>>(
            db =>
            {
                using var list = db.Command($"SELECT {ProfileColumns} FROM signing_profiles WHERE {Registry} ORDER BY name", registry.AccountId, registry.Region);
                using var reader = list.ExecuteReader();
                var profiles = new List<SigningProfile>();
                while (reader.Read())
                {
                    profiles.Add(ReadProfile(reader));
                }

                return profiles;
            },
            cancellationToken);

    public Task<bool> DeleteProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery($"DELETE FROM signing_profiles WHERE {Registry} AND name = $p2", registry.AccountId, registry.Region, name) == 1,
            cancellationToken);

    public Task PutConfigurationAsync(RegistryScope registry, string configuration, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(
                "INSERT INTO signing_configurations (account_id, region, configuration) VALUES ($p0, $p1, $p2) ON CONFLICT (account_id, region) DO UPDATE SET configuration = excluded.configuration",
                registry.AccountId,
                registry.Region,
                configuration),
            cancellationToken);

    public Task<string?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync(db => FindConfiguration(db, registry), cancellationToken);

    public Task<string?> DeleteConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                var found = FindConfiguration(db, registry);
                if (found is not null)
                {
                    db.NonQuery($"DELETE FROM signing_configurations WHERE {Registry}", registry.AccountId, registry.Region);
                }

                return found;
            },
            cancellationToken);

    public Task<int> QueueAsync(RepositoryKey repository, Digest digest, IReadOnlyList<string> profileArns, bool restart, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                if (db.FindRepositoryId(repository) is not { } id)
                {
                    return 0;
                }

                var at = queuedAt.ToUnixTimeMilliseconds();
                var queued = 0;
                foreach (var arn in profileArns)
                {
                    // A restart queues a finished job again; a job already in progress keeps its run.
                    var conflict = restart
                        ? "DO UPDATE SET status = 'IN_PROGRESS', failure_code = NULL, failure_reason = NULL, queued_at = excluded.queued_at, updated_at = excluded.updated_at WHERE image_signing_jobs.status <> 'IN_PROGRESS'"
                        : "DO NOTHING";
                    queued += db.NonQuery(
                        $"""
                        INSERT INTO image_signing_jobs (repository_id, digest, profile_arn, status, failure_code, failure_reason, queued_at, updated_at)
                        VALUES ($p0, $p1, $p2, 'IN_PROGRESS', NULL, NULL, $p3, $p3)
                        ON CONFLICT (repository_id, digest, profile_arn) {conflict}
                        """,
                        id,
                        digest.ToString(),
                        arn,
                        at);
                }

                return queued;
            },
            cancellationToken);

    public Task<IReadOnlyList<ImageSigningJob>> ListInProgressAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageSigningJob>>(
            db => ReadJobs(db.Command(
                $"SELECT {JobColumns} FROM image_signing_jobs j JOIN repositories r ON r.id = j.repository_id WHERE j.status = 'IN_PROGRESS' ORDER BY j.queued_at, j.repository_id, j.digest, j.profile_arn LIMIT $p0",
                limit)),
            cancellationToken);

    public Task<bool> FinishAsync(ImageSigningJob finished, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                if (db.FindRepositoryId(finished.Repository) is not { } id)
                {
                    return false;
                }

                return db.NonQuery(
                    """
                    UPDATE image_signing_jobs SET status = $p0, failure_code = $p1, failure_reason = $p2, updated_at = $p3
                    WHERE repository_id = $p4 AND digest = $p5 AND profile_arn = $p6 AND status = 'IN_PROGRESS' AND queued_at = $p7
                    """,
                    StatusText(finished.Status),
                    finished.FailureCode,
                    finished.FailureReason,
                    time.GetUtcNow().ToUnixTimeMilliseconds(),
                    id,
                    finished.Digest.ToString(),
                    finished.ProfileArn,
                    finished.QueuedAt.ToUnixTimeMilliseconds()) == 1;
            },
            cancellationToken);

    public Task<IReadOnlyList<ImageSigningJob>> ListForImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageSigningJob>>(
            db => ReadJobs(db.Command(
                $"""
                SELECT {JobColumns} FROM image_signing_jobs j JOIN repositories r ON r.id = j.repository_id
                WHERE r.account_id = $p0 AND r.region = $p1 AND r.name = $p2 AND j.digest = $p3 ORDER BY j.profile_arn
                """,
                repository.AccountId,
                repository.Region,
                repository.Name,
                digest.ToString())),
            cancellationToken);

    private static string? FindConfiguration(SqlSession db, RegistryScope registry)
    {
        using var find = db.Command($"SELECT configuration FROM signing_configurations WHERE {Registry}", registry.AccountId, registry.Region);
        return find.ExecuteScalar() as string;
    }

    private static SigningProfile ReadProfile(DbDataReader reader) => new(
        new RegistryScope(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        Enum.Parse<SigningKeyAlgorithm>(reader.GetString(3)),
        reader.GetString(4),
        reader.GetString(5).Split(',').Select(Convert.FromBase64String).ToArray(),
        SqlSession.FromMillis(Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture)),
        SqlSession.FromMillis(Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture)));

    private static List<ImageSigningJob> ReadJobs(DbCommand command)
    {
        using (command)
        {
            using var reader = command.ExecuteReader();
            var jobs = new List<ImageSigningJob>();
            while (reader.Read())
            {
                jobs.Add(new ImageSigningJob(
                    new RepositoryKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                    Digest.Parse(reader.GetString(3)),
                    reader.GetString(4),
                    ParseStatus(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    SqlSession.FromMillis(Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture))));
            }

            return jobs;
        }
    }

    private static string StatusText(ImageSigningStatus status) => status switch
    {
        ImageSigningStatus.Complete => "COMPLETE",
        ImageSigningStatus.Failed => "FAILED",
        _ => "IN_PROGRESS",
    };

    private static ImageSigningStatus ParseStatus(string text) => text switch
    {
        "COMPLETE" => ImageSigningStatus.Complete,
        "FAILED" => ImageSigningStatus.Failed,
        _ => ImageSigningStatus.InProgress,
    };
}
