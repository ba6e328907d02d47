using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Storage.Sql;

/// <summary>Lifecycle policies, previews and the lifecycle view of images.</summary>
internal sealed class SqlLifecycleStore(ISqlDatabase database) : ILifecycleStore
{
    // Enough for a page of 100 whatever the filter skips, few enough that a page reads little it does not return.
    private const int ChunksPerRead = 4;

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

            // The images in digest order, then every tag in the table's key order (not by digest: an index walk by
            // digest looks each tag row up at random) attached through a digest lookup, then the few index children.
            var rows = new List<ImageRow>();
            var byDigest = new Dictionary<string, int>(StringComparer.Ordinal);
            using (var command = db.Command("""
                SELECT digest, pushed_at, last_pulled_at, last_archived_at, storage_class, media_type, subject_digest, last_activated_at
                FROM images WHERE repository_id = $p0 ORDER BY digest
                """, id))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var digest = reader.GetString(0);
                    byDigest[digest] = rows.Count;
                    rows.Add(new ImageRow(
                        digest,
                        reader.GetInt64(1),
                        reader.IsDBNull(2) ? null : reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3),
                        reader.GetString(4) == "ARCHIVE",
                        reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetInt64(7)));
                }
            }

            var tags = new string[rows.Count][];
            using (var command = db.Command("SELECT digest, tag FROM image_tags WHERE repository_id = $p0 ORDER BY tag", id))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (byDigest.TryGetValue(reader.GetString(0), out var i))
                    {
                        // Most images have one tag; the ones with more grow by one, in tag order.
                        var had = tags[i];
                        var grown = had is null ? new string[1] : new string[had.Length + 1];
                        had?.CopyTo(grown, 0);
                        grown[^1] = reader.GetString(1);
                        tags[i] = grown;
                    }
                }
            }

            var children = GroupByDigest(db, "SELECT digest, child_digest FROM image_references WHERE repository_id = $p0 AND kind = 1 ORDER BY digest", id);
            var images = new LifecycleImageRecord[rows.Count];
            for (var i = 0; i < images.Length; i++)
            {
                var row = rows[i];
                images[i] = new LifecycleImageRecord(
                    Digest.Parse(row.Digest),
                    tags[i] ?? [],
                    SqlSession.FromMillis(row.PushedAt),
                    row.LastPulledAt is { } pulled ? SqlSession.FromMillis(pulled) : null,
                    row.LastArchivedAt is { } archived ? SqlSession.FromMillis(archived) : null,
                    row.Archived ? ImageStorageClass.Archive : ImageStorageClass.Standard,
                    row.MediaType,
                    children.TryGetValue(row.Digest, out var childDigests) ? childDigests.ConvertAll(Digest.Parse) : [],
                    row.Subject is null ? null : Digest.Parse(row.Subject))
                {
                    LastActivatedAt = row.LastActivatedAt is { } activated ? SqlSession.FromMillis(activated) : null,
                };
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

    public Task CompletePreviewAsync(RepositoryKey repository, IReadOnlyList<PreviewResultRecord> results, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        // Packed before the write, which holds the writer (and on PostgreSQL may run more than once).
        var chunks = Chunk(results, out var transitioning);
        return database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return 0;
            }

            using var insert = db.Command(
                "INSERT INTO lifecycle_preview_chunks (repository_id, last_digest, tagged, untagged, results) VALUES ($p0, $p1, $p2, $p3, $p4)",
                id, null, null, null, null);
            foreach (var chunk in chunks)
            {
                insert.Parameters[1].Value = chunk.LastDigest;
                insert.Parameters[2].Value = chunk.Tagged;
                insert.Parameters[3].Value = chunk.Untagged;
                insert.Parameters[4].Value = chunk.Results;
                insert.ExecuteNonQuery();
            }

            return db.NonQuery(
                "UPDATE lifecycle_previews SET status = 'COMPLETE', finished_at = $p1, expiring_count = $p2, transitioning_count = $p3 WHERE repository_id = $p0",
                id, finishedAt.ToUnixTimeMilliseconds(), results.Count - transitioning, transitioning);
        }, cancellationToken);
    }

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
            var results = new List<PreviewResultRecord>(Math.Min(limit, PreviewResultChunk.Size) + 1);
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return new Page<PreviewResultRecord>(results, null);
            }

            // Chunks holding a result after the cursor that passes the filter, a few at a time, until one more result
            // than the page is found (so the page knows whether another follows) or none are left.
            var filter = tagStatus switch
            {
                TagStatusFilter.Tagged => " AND tagged > 0",
                TagStatusFilter.Untagged => " AND untagged > 0",
                _ => string.Empty,
            };
            var after = afterDigest ?? string.Empty;
            var from = after;
            var wanted = limit < int.MaxValue ? limit + 1 : limit;
            var chunks = new List<(string LastDigest, byte[] Results)>(ChunksPerRead);
            do
            {
                chunks.Clear();
                using (var command = db.Command(
                    $"SELECT last_digest, results FROM lifecycle_preview_chunks WHERE repository_id = $p0 AND last_digest > $p1{filter} ORDER BY last_digest LIMIT $p2",
                    id, from, ChunksPerRead))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        chunks.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
                    }
                }

                foreach (var (lastDigest, packed) in chunks)
                {
                    PreviewResultChunk.Decode(packed, after, tagStatus, results, wanted);
                    from = lastDigest;
                }
            }
            while (results.Count < wanted && chunks.Count == ChunksPerRead);

            if (results.Count <= limit)
            {
                return new Page<PreviewResultRecord>(results, null);
            }

            results.RemoveAt(limit);
            return new Page<PreviewResultRecord>(results, results[^1].Digest.ToString());
        }, cancellationToken);

    /// <summary>
    /// Splits results into digest-ordered chunks, sorting them first unless they already are (the service hands
    /// them over in the evaluator's image order, which is by digest).
    /// </summary>
    private static List<(string LastDigest, int Tagged, int Untagged, byte[] Results)> Chunk(
        IReadOnlyList<PreviewResultRecord> results, out int transitioning)
    {
        var sorted = new PreviewResultRecord[results.Count];
        var inOrder = true;
        transitioning = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var result = sorted[i] = results[i];
            transitioning += result.Transition ? 1 : 0;
            inOrder &= i == 0 || string.CompareOrdinal(sorted[i - 1].Digest.ToString(), result.Digest.ToString()) < 0;
        }

        if (!inOrder)
        {
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Digest.ToString(), b.Digest.ToString()));
        }

        var chunks = new List<(string, int, int, byte[])>((sorted.Length / PreviewResultChunk.Size) + 1);
        for (var start = 0; start < sorted.Length; start += PreviewResultChunk.Size)
        {
            var part = sorted.AsSpan(start, Math.Min(PreviewResultChunk.Size, sorted.Length - start));
            var taggedInPart = 0;
            foreach (var result in part)
            {
                taggedInPart += result.Tags.Count > 0 ? 1 : 0;
            }

            chunks.Add((part[^1].Digest.ToString(), taggedInPart, part.Length - taggedInPart, PreviewResultChunk.Encode(part)));
        }

        return chunks;
    }

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

    /// <summary>One image row as read, before its tags are attached.</summary>
    private readonly record struct ImageRow(
        string Digest, long PushedAt, long? LastPulledAt, long? LastArchivedAt, bool Archived, string MediaType, string? Subject, long? LastActivatedAt);
}
