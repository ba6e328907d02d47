using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Storage.Sql;

/// <summary>Lifecycle policies, previews and the lifecycle view of images.</summary>
internal sealed class SqlLifecycleStore(ISqlDatabase database) : ILifecycleStore
{
    public Task<LifecyclePolicyRecord?> GetPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return null;
            }

            using var command = db.Command("SELECT policy_text, last_evaluated_at FROM lifecycle_policies WHERE repository_id = $p0", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new LifecyclePolicyRecord(reader.GetString(0), reader.IsDBNull(1) ? null : SqlSession.FromMillis(reader.GetInt64(1))) : null;
        }, cancellationToken);

    public Task<bool> PutPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken) =>
        database.WriteAsync(db => db.PutPolicyText("lifecycle_policies", repository, policyText), cancellationToken);

    public Task<LifecyclePolicyRecord?> DeletePolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return null;
            }

            using var command = db.Command("DELETE FROM lifecycle_policies WHERE repository_id = $p0 RETURNING policy_text, last_evaluated_at", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new LifecyclePolicyRecord(reader.GetString(0), reader.IsDBNull(1) ? null : SqlSession.FromMillis(reader.GetInt64(1))) : null;
        }, cancellationToken);

    public Task MarkEvaluatedAsync(RepositoryKey repository, DateTimeOffset evaluatedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command(
                "UPDATE lifecycle_policies SET last_evaluated_at = $at WHERE repository_id = (SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name)");
            db.AddKey(command, repository);
            db.Bind(command, "$at", evaluatedAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<RepositoryKey>> ListRepositoriesWithPolicyAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<RepositoryKey>>(db =>
        {
            using var command = db.Command(
                "SELECT r.account_id, r.region, r.name FROM lifecycle_policies p JOIN repositories r ON r.id = p.repository_id ORDER BY r.account_id, r.region, r.name");
            using var reader = command.ExecuteReader();
            var keys = new List<RepositoryKey>();
            while (reader.Read())
            {
                keys.Add(new RepositoryKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }

            return keys;
        }, cancellationToken);

    public Task<IReadOnlyList<LifecycleImageRecord>> ListImagesForLifecycleAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<LifecycleImageRecord>>(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return [];
            }

            // Three ordered scans merged by digest, instead of a query per image.
            var tags = GroupByDigest(db, "SELECT digest, tag FROM image_tags WHERE repository_id = $p0 ORDER BY digest, tag", id);
            var children = GroupByDigest(db, "SELECT digest, child_digest FROM image_references WHERE repository_id = $p0 AND kind = 1 ORDER BY digest", id);
            using var command = db.Command("""
                SELECT digest, pushed_at, last_pulled_at, last_archived_at, storage_class, media_type, subject_digest, last_activated_at
                FROM images WHERE repository_id = $p0 ORDER BY digest
                """, id);
            using var reader = command.ExecuteReader();
            var images = new List<LifecycleImageRecord>();
            while (reader.Read())
            {
                var digest = reader.GetString(0);
                images.Add(new LifecycleImageRecord(
                    Digest.Parse(digest),
                    tags.TryGetValue(digest, out var imageTags) ? imageTags : [],
                    SqlSession.FromMillis(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : SqlSession.FromMillis(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : SqlSession.FromMillis(reader.GetInt64(3)),
                    reader.GetString(4) == "ARCHIVE" ? ImageStorageClass.Archive : ImageStorageClass.Standard,
                    reader.GetString(5),
                    children.TryGetValue(digest, out var childDigests) ? childDigests.ConvertAll(Digest.Parse) : [],
                    reader.IsDBNull(6) ? null : Digest.Parse(reader.GetString(6)))
                {
                    LastActivatedAt = reader.IsDBNull(7) ? null : SqlSession.FromMillis(reader.GetInt64(7)),
                });
            }

            return images;
        }, cancellationToken);

    public Task<bool> SetStorageClassAsync(RepositoryKey repository, Digest digest, ImageStorageClass storageClass, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return false;
            }

            var sql = storageClass == ImageStorageClass.Archive
                ? "UPDATE images SET storage_class = 'ARCHIVE', last_archived_at = $p2 WHERE repository_id = $p0 AND digest = $p1"
                : "UPDATE images SET storage_class = 'STANDARD', last_activated_at = $p2 WHERE repository_id = $p0 AND digest = $p1";
            return db.NonQuery(sql, id, digest.ToString(), at.ToUnixTimeMilliseconds()) == 1;
        }, cancellationToken);

    public Task<PreviewStartOutcome> StartPreviewAsync(RepositoryKey repository, string policyText, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return PreviewStartOutcome.RepositoryNotFound;
            }

            // A preview left IN_PROGRESS by a crash is stale after a while and may be replaced.
            if (db.Exists("SELECT 1 FROM lifecycle_previews WHERE repository_id = $p0 AND status = 'IN_PROGRESS' AND started_at > $p1",
                id, (now - staleAfter).ToUnixTimeMilliseconds()))
            {
                return PreviewStartOutcome.InProgress;
            }

            db.NonQuery("DELETE FROM lifecycle_previews WHERE repository_id = $p0", id);
            db.NonQuery("INSERT INTO lifecycle_previews (repository_id, policy_text, status, started_at) VALUES ($p0, $p1, 'IN_PROGRESS', $p2)",
                id, policyText, now.ToUnixTimeMilliseconds());
            return PreviewStartOutcome.Started;
        }, cancellationToken);

    public Task CompletePreviewAsync(RepositoryKey repository, IReadOnlyList<PreviewResultRecord> results, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return 0;
            }

            using var insert = db.Command("""
                INSERT INTO lifecycle_preview_results (repository_id, digest, tags, tagged, pushed_at, action, target_storage_class, rule_priority, storage_class)
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8)
                """, id, null, null, null, null, null, null, null, null);
            foreach (var result in results)
            {
                insert.Parameters[1].Value = result.Digest.ToString();
                insert.Parameters[2].Value = string.Join('\n', result.Tags);
                insert.Parameters[3].Value = result.Tags.Count > 0 ? 1 : 0;
                insert.Parameters[4].Value = result.PushedAt.ToUnixTimeMilliseconds();
                insert.Parameters[5].Value = result.Transition ? "TRANSITION" : "EXPIRE";
                insert.Parameters[6].Value = result.Transition ? "ARCHIVE" : DBNull.Value;
                insert.Parameters[7].Value = result.RulePriority;
                insert.Parameters[8].Value = result.StorageClass == ImageStorageClass.Archive ? "ARCHIVE" : "STANDARD";
                insert.ExecuteNonQuery();
            }

            var transitioning = 0;
            foreach (var result in results)
            {
                transitioning += result.Transition ? 1 : 0;
            }

            return db.NonQuery(
                "UPDATE lifecycle_previews SET status = 'COMPLETE', finished_at = $p1, expiring_count = $p2, transitioning_count = $p3 WHERE repository_id = $p0",
                id, finishedAt.ToUnixTimeMilliseconds(), results.Count - transitioning, transitioning);
        }, cancellationToken);

    public Task FailPreviewAsync(RepositoryKey repository, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command(
                "UPDATE lifecycle_previews SET status = 'FAILED', finished_at = $at WHERE repository_id = (SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name)");
            db.AddKey(command, repository);
            db.Bind(command, "$at", finishedAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<PreviewRecord?> GetPreviewAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return null;
            }

            using var command = db.Command("SELECT policy_text, status, started_at, finished_at, expiring_count, transitioning_count FROM lifecycle_previews WHERE repository_id = $p0", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var status = reader.GetString(1) switch
            {
                "COMPLETE" => PreviewStatus.Complete,
                "FAILED" => PreviewStatus.Failed,
                _ => PreviewStatus.InProgress,
            };
            return new PreviewRecord(reader.GetString(0), status, SqlSession.FromMillis(reader.GetInt64(2)), reader.IsDBNull(3) ? null : SqlSession.FromMillis(reader.GetInt64(3)))
            {
                ExpiringCount = reader.GetInt32(4),
                TransitioningCount = reader.GetInt32(5),
            };
        }, cancellationToken);

    public Task<Page<PreviewResultRecord>> ListPreviewResultsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return new Page<PreviewResultRecord>([], null);
            }

            var filter = tagStatus switch
            {
                TagStatusFilter.Tagged => " AND tagged = 1",
                TagStatusFilter.Untagged => " AND tagged = 0",
                _ => string.Empty,
            };
            using var command = db.Command(
                $"SELECT digest, tags, pushed_at, action, rule_priority, storage_class FROM lifecycle_preview_results WHERE repository_id = $p0 AND digest > $p1{filter} ORDER BY digest LIMIT $p2",
                id, afterDigest ?? string.Empty, limit + 1);
            using var reader = command.ExecuteReader();
            var results = new List<PreviewResultRecord>();
            while (reader.Read())
            {
                if (results.Count == limit)
                {
                    return new Page<PreviewResultRecord>(results, results[^1].Digest.ToString());
                }

                var tags = reader.GetString(1);
                results.Add(new PreviewResultRecord(
                    Digest.Parse(reader.GetString(0)),
                    tags.Length == 0 ? [] : tags.Split('\n'),
                    SqlSession.FromMillis(reader.GetInt64(2)),
                    reader.GetString(3) == "TRANSITION",
                    reader.GetInt32(4),
                    reader.GetString(5) == "ARCHIVE" ? ImageStorageClass.Archive : ImageStorageClass.Standard));
            }

            return new Page<PreviewResultRecord>(results, null);
        }, cancellationToken);

    private static Dictionary<string, List<string>> GroupByDigest(SqlSession db, string sql, long repositoryId)
    {
        using var command = db.Command(sql, repositoryId);
        using var reader = command.ExecuteReader();
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var digest = reader.GetString(0);
            if (!groups.TryGetValue(digest, out var values))
            {
                groups[digest] = values = [];
            }

            values.Add(reader.GetString(1));
        }

        return groups;
    }
}
