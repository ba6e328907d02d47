using System.Data.Common;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Outbox;

namespace Berth.Storage.Sql;

/// <summary>Blob links, images, image tags and image references.</summary>
internal sealed class SqlImageStore(ISqlDatabase database, TimeProvider time) : IImageStore
{
    private const string ImageColumns =
        "i.digest, i.media_type, i.manifest_size, i.image_size, i.pushed_at, i.artifact_media_type, i.artifact_type, i.subject_digest, i.annotations, i.last_pulled_at, i.storage_class, i.last_archived_at, i.last_activated_at";

    private const int MaxTagPage = 1 << 20;

    // A refused put names at most this many missing blobs (and as many missing child manifests).
    private const int MaxMissingReported = 100;

    private const string RepositoryIdQuery = "(SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name)";

    // Made once from the dialect, so each is one text (one prepared statement on SQLite).
    private readonly string _upsertBlob = $"""
        INSERT INTO blobs (digest, size, created_at, generation) VALUES ($p0, $p1, $p2, $p3)
        ON CONFLICT (digest) DO UPDATE SET size = excluded.size, created_at = {database.Dialect.Greatest}(blobs.created_at, excluded.created_at) WHERE blobs.deleting_since IS NULL
        """;

    private readonly string _touchBlob = $"UPDATE blobs SET created_at = {database.Dialect.Greatest}(created_at, $p1) WHERE digest = $p0";

    public Task<bool> LinkBlobAsync(RepositoryKey repository, BlobRecord blob, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return false;
            }

            var digest = blob.Digest.ToString();
            // created_at is "last pushed": a blob pushed again starts a new grace period for the collector. A blob the
            // collector has marked deleting is neither revived nor linked: its bytes are going (SqlBlobCollectionStore).
            db.NonQuery(_upsertBlob, digest, blob.Size, blob.CreatedAt.ToUnixTimeMilliseconds(), SqlBlobCollectionStore.NewGeneration());
            db.NonQuery("""
                INSERT INTO repository_blobs (repository_id, digest, linked_at)
                SELECT $p0, $p1, $p2 WHERE EXISTS (SELECT 1 FROM blobs WHERE digest = $p1 AND deleting_since IS NULL)
                ON CONFLICT DO NOTHING
                """,
                id, digest, blob.CreatedAt.ToUnixTimeMilliseconds());
            return true;
        }, cancellationToken);

    public Task<BlobRecord?> FindBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(db => FindBlob(db, repository, digest), cancellationToken);

    public Task<BlobRecord?> MountBlobAsync(RepositoryKey from, RepositoryKey to, Digest digest, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            var blob = FindBlob(db, from, digest);
            if (blob is null || db.FindRepositoryId(to) is not { } target)
            {
                return null;
            }

            // A mount is a push into the target: it restarts the blob's grace period like any other claim.
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            db.NonQuery("INSERT INTO repository_blobs (repository_id, digest, linked_at) VALUES ($p0, $p1, $p2) ON CONFLICT DO NOTHING",
                target, digest.ToString(), now);
            db.NonQuery(_touchBlob, digest.ToString(), now);
            return blob;
        }, cancellationToken);

    public Task<bool> UnlinkBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command($"DELETE FROM repository_blobs WHERE repository_id = {RepositoryIdQuery} AND digest = $digest");
            db.AddKey(command, repository);
            db.Bind(command, "$digest", digest.ToString());
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        CancellationToken cancellationToken) =>
        PutImageAsync(repository, image, manifest, references, tag, [], cancellationToken);

    public async Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        IReadOnlyList<OutboxMessage> outbox,
        CancellationToken cancellationToken)
    {
        // A manifest naming thousands of unknown blobs would hold the write transaction open while each is looked up
        // (on SQLite, the single writer, stalling every account's writes); a plain read finds the refusal first. The
        // transaction checks again, so a reference removed in between still refuses the put.
        var refused = await database.ReadAsync(db => db.FindRepositoryId(repository) is { } found
            && FindMissing(db, found, references) is { Count: > 0 } missing
                ? PutImagePlanner.Plan(image.Digest, tag, new PutImageState { RepositoryExists = true, MissingReferences = missing }).Outcome
                : null, cancellationToken);
        return refused ?? await WriteImageAsync(repository, image, manifest, references, tag, outbox, cancellationToken);
    }

    private Task<PutImageOutcome> WriteImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        IReadOnlyList<OutboxMessage> outbox,
        CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            var digest = image.Digest.ToString();
            var state = ReadPutState(db, repository, digest, references, tag, out var id);
            var plan = PutImagePlanner.Plan(image.Digest, tag, state);
            if (plan.InsertImage)
            {
                db.NonQuery("""
                    INSERT INTO images (repository_id, digest, media_type, manifest, manifest_size, image_size, pushed_at,
                                        artifact_media_type, artifact_type, subject_digest, annotations)
                    VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10)
                    """,
                    id, digest, image.MediaType, manifest.ToArray(), image.ManifestSize, image.ImageSizeInBytes,
                    image.PushedAt.ToUnixTimeMilliseconds(), image.ArtifactMediaType, image.ArtifactType, image.Subject?.ToString(), image.AnnotationsJson);
                foreach (var reference in references)
                {
                    db.NonQuery(
                        "INSERT INTO image_references (repository_id, digest, child_digest, kind) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT DO NOTHING",
                        id, digest, reference.Digest.ToString(), (int)reference.Kind);
                }
            }

            if (plan.RestoreFromArchive)
            {
                db.NonQuery(
                    "UPDATE images SET storage_class = 'STANDARD', last_activated_at = $p2 WHERE repository_id = $p0 AND digest = $p1",
                    id, digest, image.PushedAt.ToUnixTimeMilliseconds());
            }

            if (plan.PointTag)
            {
                // tag_count keeps tagged/untagged listings on their own indexes.
                if (plan.TagLeaves is { } left)
                {
                    db.NonQuery("UPDATE images SET tag_count = tag_count - 1 WHERE repository_id = $p0 AND digest = $p1", id, left.ToString());
                }

                db.NonQuery("UPDATE images SET tag_count = tag_count + 1 WHERE repository_id = $p0 AND digest = $p1", id, digest);
                db.NonQuery("""
                    INSERT INTO image_tags (repository_id, tag, digest, updated_at) VALUES ($p0, $p1, $p2, $p3)
                    ON CONFLICT (repository_id, tag) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at
                    """,
                    id, tag, digest, image.PushedAt.ToUnixTimeMilliseconds());
            }

            if (plan.Outcome.Status is PutImageStatus.Created or PutImageStatus.Tagged or PutImageStatus.TagMoved or PutImageStatus.Unchanged)
            {
                SqlOutboxStore.Insert(db, outbox, time.GetUtcNow());
            }

            return plan.Outcome;
        }, cancellationToken);

    /// <summary>Everything <see cref="PutImagePlanner"/> needs, read in the put's transaction before any write.</summary>
    private static PutImageState ReadPutState(
        SqlSession db,
        RepositoryKey repository,
        string digest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        out long id)
    {
        TagMutability mutability;
        string[] filters;
        using (var settings = db.Command(
            "SELECT id, tag_mutability, mutability_filters FROM repositories WHERE account_id = $account AND region = $region AND name = $name"))
        {
            db.AddKey(settings, repository);
            using var reader = settings.ExecuteReader();
            if (!reader.Read())
            {
                id = 0;
                return new PutImageState { RepositoryExists = false };
            }

            id = reader.GetInt64(0);
            mutability = Enum.Parse<TagMutability>(reader.GetString(1));
            var text = reader.GetString(2);
            filters = text.Length == 0 ? [] : text.Split('\n');
        }

        var missing = FindMissing(db, id, references);
        Digest? target = null;
        if (tag is not null)
        {
            using var current = db.Command("SELECT digest FROM image_tags WHERE repository_id = $p0 AND tag = $p1", id, tag);
            target = current.ExecuteScalar() is string pointsAt ? Digest.Parse(pointsAt) : null;
        }

        using var stored = db.Command("SELECT storage_class FROM images WHERE repository_id = $p0 AND digest = $p1", id, digest);
        return new PutImageState
        {
            RepositoryExists = true,
            Mutability = mutability,
            MutabilityExclusionFilters = filters,
            MissingReferences = missing,
            TagTarget = target,
            StoredImage = stored.ExecuteScalar() switch
            {
                null => null,
                "ARCHIVE" => ImageStorageClass.Archive,
                _ => ImageStorageClass.Standard,
            },
        };
    }

    /// <summary>
    /// The references the repository lacks, each digest once and at most <see cref="MaxMissingReported"/> of each kind:
    /// the refusal names that many, and a request cannot make the lookup longer than its distinct references.
    /// </summary>
    private static List<ImageReference> FindMissing(SqlSession db, long id, IReadOnlyList<ImageReference> references)
    {
        var missing = new List<ImageReference>();
        var checkedDigests = new HashSet<(Digest, ImageReferenceKind)>();
        int missingBlobs = 0, missingManifests = 0;
        foreach (var reference in references)
        {
            var isBlob = reference.Kind == ImageReferenceKind.Blob;
            if ((isBlob ? missingBlobs : missingManifests) >= MaxMissingReported || !checkedDigests.Add((reference.Digest, reference.Kind)))
            {
                continue;
            }

            var present = isBlob
                ? db.Exists("SELECT 1 FROM repository_blobs WHERE repository_id = $p0 AND digest = $p1", id, reference.Digest.ToString())
                : db.Exists("SELECT 1 FROM images WHERE repository_id = $p0 AND digest = $p1", id, reference.Digest.ToString());
            if (!present)
            {
                missing.Add(reference);
                if (isBlob)
                {
                    missingBlobs++;
                }
                else
                {
                    missingManifests++;
                }
            }
        }

        return missing;
    }

    public Task<ImageRecord?> GetImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command(
                $"SELECT {ImageColumns}, i.manifest, i.repository_id FROM images i WHERE i.repository_id = {RepositoryIdQuery} AND i.digest = $digest");
            db.AddKey(command, repository);
            db.Bind(command, "$digest", digest.ToString());
            ImageRecord image;
            long id;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                image = ReadImage(reader) with { Manifest = (byte[])reader.GetValue(13) };
                id = reader.GetInt64(14);
            }

            return image with { Tags = ReadTags(db, id, image.Digest) };
        }, cancellationToken);

    // The pull path; CachingImageStore answers repeats from memory.
    public Task<ImageRecord?> GetManifestAsync(RepositoryKey repository, string? tag, Digest? digest, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = tag is not null
                ? db.Command($"""
                    SELECT {ImageColumns}, i.manifest FROM image_tags t
                    JOIN images i ON i.repository_id = t.repository_id AND i.digest = t.digest
                    WHERE t.repository_id = {RepositoryIdQuery} AND t.tag = $reference
                    """)
                : db.Command($"SELECT {ImageColumns}, i.manifest FROM images i WHERE i.repository_id = {RepositoryIdQuery} AND i.digest = $reference");
            db.AddKey(command, repository);
            db.Bind(command, "$reference", tag ?? digest!.Value.ToString());
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadImage(reader) with { Manifest = (byte[])reader.GetValue(13) } : null;
        }, cancellationToken);

    public Task<Digest?> ResolveTagAsync(RepositoryKey repository, string tag, CancellationToken cancellationToken) =>
        database.ReadAsync<Digest?>(db =>
        {
            using var command = db.Command($"SELECT digest FROM image_tags WHERE repository_id = {RepositoryIdQuery} AND tag = $tag");
            db.AddKey(command, repository);
            db.Bind(command, "$tag", tag);
            return command.ExecuteScalar() is string digest ? Digest.Parse(digest) : null;
        }, cancellationToken);

    public Task<Page<string>?> ListTagsAsync(RepositoryKey repository, string? afterTag, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxTagPage);
        return database.ReadAsync<Page<string>?>(db =>
            db.Dialect.ReadTagPage(db, repository, afterTag ?? string.Empty, limit) is not { } tags ? null
            : tags.Length > limit ? new Page<string>(tags[..limit], tags[limit - 1])
            : new Page<string>(tags, null),
            cancellationToken);
    }

    public Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        DeleteImageAsync(repository, digest, [], cancellationToken);

    public Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return DeleteImageStatus.RepositoryNotFound;
            }

            return WithOutbox(db, DeleteImage(db, id, digest.ToString()), outbox);
        }, cancellationToken);

    public Task<DeleteImageStatus> DeleteTagAsync(RepositoryKey repository, string tag, bool deleteUntaggedImage, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(db => DeleteTag(db, repository, tag, deleteUntaggedImage, out _), cancellationToken);

    public Task<DeleteImageStatus> DeleteTagAsync(
        RepositoryKey repository, string tag, bool deleteUntaggedImage, Func<Digest, IReadOnlyList<OutboxMessage>> outboxFor, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(
            db =>
            {
                var status = DeleteTag(db, repository, tag, deleteUntaggedImage, out var digest);
                return digest is null ? status : WithOutbox(db, status, outboxFor(Digest.Parse(digest)));
            },
            cancellationToken);

    public Task<IReadOnlyList<DeleteImageStatus>> DeleteImagesAsync(
        RepositoryKey repository, IReadOnlyList<Digest> digests, Func<IReadOnlyList<Digest>, IReadOnlyList<OutboxMessage>> outboxFor, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync<IReadOnlyList<DeleteImageStatus>>(
            db =>
            {
                var statuses = new DeleteImageStatus[digests.Count];
                if (db.FindRepositoryId(repository) is not { } id)
                {
                    Array.Fill(statuses, DeleteImageStatus.RepositoryNotFound);
                    return statuses;
                }

                var deleted = new List<Digest>(digests.Count);
                for (var i = 0; i < digests.Count; i++)
                {
                    statuses[i] = DeleteImage(db, id, digests[i].ToString());
                    if (statuses[i] == DeleteImageStatus.Deleted)
                    {
                        deleted.Add(digests[i]);
                    }
                }

                if (deleted.Count > 0 && outboxFor(deleted) is { Count: > 0 } outbox)
                {
                    SqlOutboxStore.Insert(db, outbox, time.GetUtcNow());
                }

                return statuses;
            },
            cancellationToken);

    /// <summary>Writes <paramref name="outbox"/> in the delete's transaction when the delete removed something.</summary>
    private DeleteImageStatus WithOutbox(SqlSession db, DeleteImageStatus status, IReadOnlyList<OutboxMessage> outbox)
    {
        if (outbox.Count > 0 && status is DeleteImageStatus.Deleted or DeleteImageStatus.TagRemoved)
        {
            SqlOutboxStore.Insert(db, outbox, time.GetUtcNow());
        }

        return status;
    }

    private static DeleteImageStatus DeleteTag(SqlSession db, RepositoryKey repository, string tag, bool deleteUntaggedImage, out string? removedDigest)
    {
        removedDigest = null;
        if (db.FindRepositoryId(repository) is not { } id)
        {
            return DeleteImageStatus.RepositoryNotFound;
        }

        using var find = db.Command("DELETE FROM image_tags WHERE repository_id = $p0 AND tag = $p1 RETURNING digest", id, tag);
        if (find.ExecuteScalar() is not string digest)
        {
            return DeleteImageStatus.NotFound;
        }

        removedDigest = digest;

        db.NonQuery("UPDATE images SET tag_count = tag_count - 1 WHERE repository_id = $p0 AND digest = $p1", id, digest);

        if (deleteUntaggedImage
            && !db.Exists("SELECT 1 FROM image_tags WHERE repository_id = $p0 AND digest = $p1", id, digest)
            && DeleteImage(db, id, digest) == DeleteImageStatus.Deleted)
        {
            return DeleteImageStatus.Deleted;
        }

        return DeleteImageStatus.TagRemoved;
    }

    public Task<IReadOnlyList<ImageRecord>> ListReferrersAsync(RepositoryKey repository, Digest subject, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageRecord>>(db =>
        {
            using var command = db.Command(
                $"SELECT {ImageColumns} FROM images i WHERE i.repository_id = {RepositoryIdQuery} AND i.subject_digest = $subject ORDER BY i.digest");
            db.AddKey(command, repository);
            db.Bind(command, "$subject", subject.ToString());
            using var reader = command.ExecuteReader();
            var images = new List<ImageRecord>();
            while (reader.Read())
            {
                images.Add(ReadImage(reader));
            }

            return images;
        }, cancellationToken);

    public Task RecordPullAsync(RepositoryKey repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command(
                $"UPDATE images SET last_pulled_at = $pulled WHERE repository_id = {RepositoryIdQuery} AND digest = $digest");
            db.AddKey(command, repository);
            db.Bind(command, "$digest", digest.ToString());
            db.Bind(command, "$pulled", pulledAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<Page<ImageRecord>?> DescribeImagesAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken) =>
        database.ReadAsync<Page<ImageRecord>?>(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return null;
            }

            using var command = db.Command(
                $"SELECT {ImageColumns} FROM images i WHERE i.repository_id = $p0 AND i.digest > $p1{TagCondition(tagStatus)}{StatusCondition(imageStatus)} ORDER BY i.digest LIMIT $p2",
                id, afterDigest ?? string.Empty, limit + 1);
            var images = new List<ImageRecord>(Math.Min(limit, 256));
            var more = false;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (images.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    images.Add(ReadImage(reader));
                }
            }

            if (images.Count > 0 && tagStatus != TagStatusFilter.Untagged)
            {
                // The page is a digest range: its tags come from one range read of image_tags_by_digest.
                using var tagQuery = db.Command(
                    "SELECT digest, tag FROM image_tags WHERE repository_id = $p0 AND digest >= $p1 AND digest <= $p2",
                    id, images[0].Digest.ToString(), images[^1].Digest.ToString());
                var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                using (var reader = tagQuery.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var digest = reader.GetString(0);
                        if (!tags.TryGetValue(digest, out var list))
                        {
                            tags[digest] = list = [];
                        }

                        list.Add(reader.GetString(1));
                    }
                }

                for (var i = 0; i < images.Count; i++)
                {
                    if (tags.TryGetValue(images[i].Digest.ToString(), out var list))
                    {
                        list.Sort(StringComparer.Ordinal);
                        images[i] = images[i] with { Tags = list };
                    }
                }
            }

            return new Page<ImageRecord>(images, more ? images[^1].Digest.ToString() : null);
        }, cancellationToken);

    public Task<Page<ImageListEntry>?> ListImageIdsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterKey,
        int limit,
        CancellationToken cancellationToken) =>
        database.ReadAsync<Page<ImageListEntry>?>(db =>
        {
            if (db.FindRepositoryId(repository) is not { } id)
            {
                return null;
            }

            var entries = new List<ImageListEntry>(Math.Min(limit, 256));
            var inUntagged = afterKey is not null && afterKey.StartsWith("u:", StringComparison.Ordinal);
            var after = afterKey is null ? string.Empty : afterKey[2..];
            if (!inUntagged && tagStatus != TagStatusFilter.Untagged)
            {
                using var tagged = db.Command(
                    $"SELECT t.tag, t.digest FROM image_tags t JOIN images i ON i.repository_id = t.repository_id AND i.digest = t.digest WHERE t.repository_id = $p0 AND t.tag > $p1{StatusCondition(imageStatus)} ORDER BY t.tag LIMIT $p2",
                    id, after, limit + 1);
                using var reader = tagged.ExecuteReader();
                while (reader.Read())
                {
                    if (entries.Count == limit)
                    {
                        return new Page<ImageListEntry>(entries, ListKey(entries[^1]));
                    }

                    entries.Add(new ImageListEntry(Digest.Parse(reader.GetString(1)), reader.GetString(0)));
                }

                after = string.Empty;
            }

            if (tagStatus != TagStatusFilter.Tagged)
            {
                using var untagged = db.Command(
                    $"SELECT i.digest FROM images i WHERE i.repository_id = $p0 AND i.tag_count = 0 AND i.digest > $p1{StatusCondition(imageStatus)} ORDER BY i.digest LIMIT $p2",
                    id, after, limit - entries.Count + 1);
                using var reader = untagged.ExecuteReader();
                while (reader.Read())
                {
                    if (entries.Count == limit)
                    {
                        return new Page<ImageListEntry>(entries, ListKey(entries[^1]));
                    }

                    entries.Add(new ImageListEntry(Digest.Parse(reader.GetString(0)), null));
                }
            }

            return new Page<ImageListEntry>(entries, null);
        }, cancellationToken);

    public Task<bool> IsBlobReferencedAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command(
                $"SELECT 1 FROM image_references WHERE repository_id = {RepositoryIdQuery} AND child_digest = $digest AND kind = 0 LIMIT 1");
            db.AddKey(command, repository);
            db.Bind(command, "$digest", digest.ToString());
            return command.ExecuteScalar() is not null;
        }, cancellationToken);

    public Task<long> CountImagesAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command($"SELECT COUNT(*) FROM images WHERE repository_id = {RepositoryIdQuery}");
            db.AddKey(command, repository);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    private static DeleteImageStatus DeleteImage(SqlSession db, long repositoryId, string digest)
    {
        if (!db.Exists("SELECT 1 FROM images WHERE repository_id = $p0 AND digest = $p1", repositoryId, digest))
        {
            return DeleteImageStatus.NotFound;
        }

        if (db.Exists("SELECT 1 FROM image_references WHERE repository_id = $p0 AND child_digest = $p1 AND kind = 1", repositoryId, digest))
        {
            return DeleteImageStatus.ReferencedByIndex;
        }

        db.NonQuery("DELETE FROM images WHERE repository_id = $p0 AND digest = $p1", repositoryId, digest);
        return DeleteImageStatus.Deleted;
    }

    private static BlobRecord? FindBlob(SqlSession db, RepositoryKey repository, Digest digest)
    {
        using var command = db.Command($"""
            SELECT b.size, b.created_at FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest
            WHERE rb.repository_id = {RepositoryIdQuery} AND rb.digest = $digest
            """);
        db.AddKey(command, repository);
        db.Bind(command, "$digest", digest.ToString());
        using var reader = command.ExecuteReader();
        return reader.Read() ? new BlobRecord(digest, reader.GetInt64(0), SqlSession.FromMillis(reader.GetInt64(1))) : null;
    }

    private static List<string> ReadTags(SqlSession db, long repositoryId, Digest digest)
    {
        // No ORDER BY: with one, SQLite walks the (repository_id, tag) key of every tag in the repository instead of
        // seeking image_tags_by_digest; an image's few tags are sorted here instead, ordinally, whatever the collation.
        using var command = db.Command("SELECT tag FROM image_tags WHERE repository_id = $p0 AND digest = $p1", repositoryId, digest.ToString());
        using var reader = command.ExecuteReader();
        var tags = new List<string>();
        while (reader.Read())
        {
            tags.Add(reader.GetString(0));
        }

        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    private static ImageRecord ReadImage(DbDataReader reader) => new(
        Digest.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetInt64(3),
        SqlSession.FromMillis(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : Digest.Parse(reader.GetString(7)),
        reader.IsDBNull(9) ? null : SqlSession.FromMillis(reader.GetInt64(9)))
    {
        AnnotationsJson = reader.IsDBNull(8) ? null : reader.GetString(8),
        StorageClass = reader.GetString(10) == "ARCHIVE" ? ImageStorageClass.Archive : ImageStorageClass.Standard,
        LastArchivedAt = reader.IsDBNull(11) ? null : SqlSession.FromMillis(reader.GetInt64(11)),
        LastActivatedAt = reader.IsDBNull(12) ? null : SqlSession.FromMillis(reader.GetInt64(12)),
    };

    private static string ListKey(ImageListEntry entry) => entry.Tag is { } tag ? "t:" + tag : "u:" + entry.Digest;

    private static string TagCondition(TagStatusFilter filter) => filter switch
    {
        TagStatusFilter.Tagged => " AND i.tag_count > 0",
        TagStatusFilter.Untagged => " AND i.tag_count = 0",
        _ => string.Empty,
    };

    /// <summary>ACTIVATING is never stored: a restore completes within its transaction.</summary>
    private static string StatusCondition(ImageStatusFilter filter) => filter switch
    {
        ImageStatusFilter.Active => " AND i.storage_class = 'STANDARD'",
        ImageStatusFilter.Archived => " AND i.storage_class = 'ARCHIVE'",
        ImageStatusFilter.Activating => " AND 1 = 0",
        _ => string.Empty,
    };
}
