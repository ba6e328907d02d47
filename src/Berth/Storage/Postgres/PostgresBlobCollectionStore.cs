using Berth.Domain;
using Npgsql;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Blob claims, deleting marks and the collection lock in PostgreSQL. <c>blobs.created_at</c> is the blob's last push,
/// <c>blobs.deleting_since</c> marks it deleting and <c>blobs.generation</c> names the record a claim holds.
/// </summary>
internal sealed class PostgresBlobCollectionStore(PostgresDatabase database) : IBlobCollectionStore
{
    public Task<BlobClaim?> ClaimBlobAsync(Digest digest, DateTimeOffset claimedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // A claimed blob's size is unknown until it is linked; no repository sees it before then.
            using var command = Command(connection, transaction, """
                INSERT INTO blobs (digest, size, created_at, generation) VALUES ($p0, 0, $p1, $p2)
                ON CONFLICT (digest) DO UPDATE SET created_at = GREATEST(blobs.created_at, excluded.created_at) WHERE blobs.deleting_since IS NULL
                RETURNING generation
                """,
                digest.ToString(), claimedAt.ToUnixTimeMilliseconds(), Sqlite.SqliteBlobCollectionStore.NewGeneration());
            return command.ExecuteScalar() is long generation ? new BlobClaim(generation) : (BlobClaim?)null;
        }, cancellationToken);

    public Task<bool> RenewClaimAsync(Digest digest, BlobClaim claim, DateTimeOffset renewedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction,
                "UPDATE blobs SET created_at = GREATEST(created_at, $p1) WHERE digest = $p0 AND generation = $p2 AND deleting_since IS NULL",
                digest.ToString(), renewedAt.ToUnixTimeMilliseconds(), claim.Generation) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> FindUnreferencedBlobsAsync(DateTimeOffset pushedBefore, string? afterDigest, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(connection => ReadDigests(connection, """
            SELECT b.digest FROM blobs b
            WHERE b.digest > $p0 AND b.created_at < $p1 AND b.deleting_since IS NULL
              AND NOT EXISTS (SELECT 1 FROM image_references r WHERE r.child_digest = b.digest AND r.kind = 0)
            ORDER BY b.digest LIMIT $p2
            """,
            afterDigest ?? string.Empty, pushedBefore.ToUnixTimeMilliseconds(), limit), cancellationToken);

    public Task<bool> MarkBlobDeletingAsync(Digest digest, DateTimeOffset pushedBefore, DateTimeOffset markedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            var text = digest.ToString();
            if (!Exists(connection, transaction, "SELECT 1 FROM blobs WHERE digest = $p0 AND created_at < $p1 AND deleting_since IS NULL", text, pushedBefore.ToUnixTimeMilliseconds())
                || Exists(connection, transaction, "SELECT 1 FROM image_references WHERE child_digest = $p0 AND kind = 0", text))
            {
                return false;
            }

            // Without links no repository can read, mount or reference the blob from here on.
            NonQuery(connection, transaction, "DELETE FROM repository_blobs WHERE digest = $p0", text);
            NonQuery(connection, transaction, "UPDATE blobs SET deleting_since = $p1 WHERE digest = $p0", text, markedAt.ToUnixTimeMilliseconds());
            return true;
        }, cancellationToken);

    public Task<bool> MarkOrphanDeletingAsync(Digest digest, DateTimeOffset markedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction,
                "INSERT INTO blobs (digest, size, created_at, generation, deleting_since) VALUES ($p0, 0, $p1, 0, $p1) ON CONFLICT (digest) DO NOTHING",
                digest.ToString(), markedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> ListDeletingBlobsAsync(string? afterDigest, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(connection => ReadDigests(connection,
            "SELECT digest FROM blobs WHERE deleting_since IS NOT NULL AND digest > $p0 ORDER BY digest LIMIT $p1",
            afterDigest ?? string.Empty, limit), cancellationToken);

    public Task<bool> RemoveDeletedBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            var text = digest.ToString();
            if (!Exists(connection, transaction, "SELECT 1 FROM blobs WHERE digest = $p0 AND deleting_since IS NOT NULL", text))
            {
                return false;
            }

            NonQuery(connection, transaction, "DELETE FROM repository_blobs WHERE digest = $p0", text);
            NonQuery(connection, transaction, "DELETE FROM blobs WHERE digest = $p0", text);
            return true;
        }, cancellationToken);

    public Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => Exists(connection, null, "SELECT 1 FROM blobs WHERE digest = $p0", digest.ToString()), cancellationToken);

    public async Task<IAsyncDisposable?> TryLockCollectionAsync(CancellationToken cancellationToken)
    {
        // A session advisory lock on a connection kept open while the lock is held: one collector at a time across
        // every node, another's attempt fails at once, and PostgreSQL releases it if the holder's connection dies.
        var connection = await database.OpenSessionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgresMetadataStore.CollectionLockKey})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new HeldLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private static List<Digest> ReadDigests(NpgsqlConnection connection, string sql, params object?[] values)
    {
        using var command = Command(connection, null, sql, values);
        using var reader = command.ExecuteReader();
        var digests = new List<Digest>();
        while (reader.Read())
        {
            digests.Add(Digest.Parse(reader.GetString(0)));
        }

        return digests;
    }

    private sealed class HeldLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresMetadataStore.CollectionLockKey})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock have failed.
                await connection.DisposeAsync();
            }
        }
    }
}
