using System.Buffers.Binary;
using System.Security.Cryptography;
using Berth.Domain;
using Microsoft.Data.Sqlite;
using static Berth.Storage.Sqlite.SqlHelpers;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Blob claims, deleting marks and the collection lock in SQLite. <c>blobs.created_at</c> is the blob's last push,
/// <c>blobs.deleting_since</c> marks it deleting and <c>blobs.generation</c> names the record a claim holds.
/// </summary>
internal sealed class SqliteBlobCollectionStore(SqliteDatabase database) : IBlobCollectionStore
{
    // SQLite has no advisory locks, so the collection lock is an exclusive flock on a file beside the database: held by
    // one process at a time (another process's attempt fails at once) and released by the kernel if the holder dies.
    private readonly string _lockPath = database.Path + ".gc-lock";

    /// <summary>A new record's generation: random, so a record recreated after a collection never repeats one.</summary>
    public static long NewGeneration()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (BinaryPrimitives.ReadInt64LittleEndian(bytes) & long.MaxValue) | 1; // never 0, which records from before migration 3 hold
    }

    public Task<BlobClaim?> ClaimBlobAsync(Digest digest, DateTimeOffset claimedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            // A claimed blob's size is unknown until it is linked; no repository sees it before then.
            using var command = Command(connection, transaction, """
                INSERT INTO blobs (digest, size, created_at, generation) VALUES ($p0, 0, $p1, $p2)
                ON CONFLICT (digest) DO UPDATE SET created_at = MAX(created_at, excluded.created_at) WHERE deleting_since IS NULL
                RETURNING generation
                """,
                digest.ToString(), claimedAt.ToUnixTimeMilliseconds(), NewGeneration());
            return command.ExecuteScalar() is long generation ? new BlobClaim(generation) : (BlobClaim?)null;
        }, cancellationToken);

    public Task<bool> RenewClaimAsync(Digest digest, BlobClaim claim, DateTimeOffset renewedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => NonQuery(connection, transaction,
                "UPDATE blobs SET created_at = MAX(created_at, $p1) WHERE digest = $p0 AND generation = $p2 AND deleting_since IS NULL",
                digest.ToString(), renewedAt.ToUnixTimeMilliseconds(), claim.Generation) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> FindUnreferencedBlobsAsync(DateTimeOffset pushedBefore, string? afterDigest, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<Digest>>(connection => ReadDigests(connection, """
            SELECT b.digest FROM blobs b
            WHERE b.digest > $p0 AND b.created_at < $p1 AND b.deleting_since IS NULL
              AND NOT EXISTS (SELECT 1 FROM image_references r WHERE r.child_digest = b.digest AND r.kind = 0)
            ORDER BY b.digest LIMIT $p2
            """,
            afterDigest ?? string.Empty, pushedBefore.ToUnixTimeMilliseconds(), limit)));

    public Task<bool> MarkBlobDeletingAsync(Digest digest, DateTimeOffset pushedBefore, DateTimeOffset markedAt, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync((connection, transaction) =>
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
        database.WriteFreeingAsync(
            (connection, transaction) => NonQuery(connection, transaction,
                "INSERT INTO blobs (digest, size, created_at, generation, deleting_since) VALUES ($p0, 0, $p1, 0, $p1) ON CONFLICT (digest) DO NOTHING",
                digest.ToString(), markedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> ListDeletingBlobsAsync(string? afterDigest, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<Digest>>(connection => ReadDigests(connection,
            "SELECT digest FROM blobs WHERE deleting_since IS NOT NULL AND digest > $p0 ORDER BY digest LIMIT $p1",
            afterDigest ?? string.Empty, limit)));

    public Task<bool> RemoveDeletedBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync((connection, transaction) =>
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
        Task.FromResult(database.Read(connection => Exists(connection, null, "SELECT 1 FROM blobs WHERE digest = $p0", digest.ToString())));

    public Task<IAsyncDisposable?> TryLockCollectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix; a second open, in this process or another, fails.
            IAsyncDisposable held = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return Task.FromResult<IAsyncDisposable?>(held);
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }

    private static List<Digest> ReadDigests(SqliteConnection connection, string sql, params object?[] values)
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
}
