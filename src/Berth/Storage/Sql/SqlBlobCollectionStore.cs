using System.Buffers.Binary;
using System.Security.Cryptography;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>
/// Blob claims, deleting marks and the collection lock. <c>blobs.created_at</c> is the blob's last push,
/// <c>blobs.deleting_since</c> marks it deleting and <c>blobs.generation</c> names the record a claim holds.
/// </summary>
/// <param name="database">The metadata database.</param>
/// <param name="tryLock">
/// Takes the collection lock, held by one collector at a time across every process on the database, or answers null
/// at once when another holds it: each backend's own kind of lock (<see cref="Sqlite.SqliteCollectionLock"/>,
/// <see cref="Postgres.PostgresCollectionLock"/>).
/// </param>
internal sealed class SqlBlobCollectionStore(ISqlDatabase database, Func<CancellationToken, Task<IAsyncDisposable?>> tryLock) : IBlobCollectionStore
{
    // Made once from the dialect, so each is one text (one prepared statement on SQLite).
    private readonly string _claim = $"""
        INSERT INTO blobs (digest, size, created_at, generation) VALUES ($p0, 0, $p1, $p2)
        ON CONFLICT (digest) DO UPDATE SET created_at = {database.Dialect.Greatest}(blobs.created_at, excluded.created_at) WHERE blobs.deleting_since IS NULL
        RETURNING generation
        """;

    private readonly string _renew =
        $"UPDATE blobs SET created_at = {database.Dialect.Greatest}(created_at, $p1) WHERE digest = $p0 AND generation = $p2 AND deleting_since IS NULL";

    /// <summary>A new record's generation: random, so a record recreated after a collection never repeats one.</summary>
    public static long NewGeneration()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (BinaryPrimitives.ReadInt64LittleEndian(bytes) & long.MaxValue) | 1; // never 0, which records from before migration 3 hold
    }

    public Task<BlobClaim?> ClaimBlobAsync(Digest digest, DateTimeOffset claimedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            // A claimed blob's size is unknown until it is linked; no repository sees it before then.
            using var command = db.Command(_claim, digest.ToString(), claimedAt.ToUnixTimeMilliseconds(), NewGeneration());
            return command.ExecuteScalar() is long generation ? new BlobClaim(generation) : (BlobClaim?)null;
        }, cancellationToken);

    public Task<bool> RenewClaimAsync(Digest digest, BlobClaim claim, DateTimeOffset renewedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db => db.NonQuery(_renew, digest.ToString(), renewedAt.ToUnixTimeMilliseconds(), claim.Generation) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> FindUnreferencedBlobsAsync(DateTimeOffset pushedBefore, string? afterDigest, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(db => ReadDigests(db, """
            SELECT b.digest FROM blobs b
            WHERE b.digest > $p0 AND b.created_at < $p1 AND b.deleting_since IS NULL
              AND NOT EXISTS (SELECT 1 FROM image_references r WHERE r.child_digest = b.digest AND r.kind = 0)
            ORDER BY b.digest LIMIT $p2
            """,
            afterDigest ?? string.Empty, pushedBefore.ToUnixTimeMilliseconds(), limit), cancellationToken);

    public Task<bool> MarkBlobDeletingAsync(Digest digest, DateTimeOffset pushedBefore, DateTimeOffset markedAt, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(db =>
        {
            var text = digest.ToString();
            if (!db.Exists("SELECT 1 FROM blobs WHERE digest = $p0 AND created_at < $p1 AND deleting_since IS NULL", text, pushedBefore.ToUnixTimeMilliseconds())
                || db.Exists("SELECT 1 FROM image_references WHERE child_digest = $p0 AND kind = 0", text))
            {
                return false;
            }

            // Without links no repository can read, mount or reference the blob from here on.
            db.NonQuery("DELETE FROM repository_blobs WHERE digest = $p0", text);
            db.NonQuery("UPDATE blobs SET deleting_since = $p1 WHERE digest = $p0", text, markedAt.ToUnixTimeMilliseconds());
            return true;
        }, cancellationToken);

    public Task<bool> MarkOrphanDeletingAsync(Digest digest, DateTimeOffset markedAt, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(
            db => db.NonQuery(
                "INSERT INTO blobs (digest, size, created_at, generation, deleting_since) VALUES ($p0, 0, $p1, 0, $p1) ON CONFLICT (digest) DO NOTHING",
                digest.ToString(), markedAt.ToUnixTimeMilliseconds()) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Digest>> ListDeletingBlobsAsync(string? afterDigest, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Digest>>(db => ReadDigests(db,
            "SELECT digest FROM blobs WHERE deleting_since IS NOT NULL AND digest > $p0 ORDER BY digest LIMIT $p1",
            afterDigest ?? string.Empty, limit), cancellationToken);

    public Task<bool> RemoveDeletedBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(db =>
        {
            var text = digest.ToString();
            if (!db.Exists("SELECT 1 FROM blobs WHERE digest = $p0 AND deleting_since IS NOT NULL", text))
            {
                return false;
            }

            db.NonQuery("DELETE FROM repository_blobs WHERE digest = $p0", text);
            db.NonQuery("DELETE FROM blobs WHERE digest = $p0", text);
            return true;
        }, cancellationToken);

    public Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken) =>
        database.ReadAsync(db => db.Exists("SELECT 1 FROM blobs WHERE digest = $p0", digest.ToString()), cancellationToken);

    public Task<IAsyncDisposable?> TryLockCollectionAsync(CancellationToken cancellationToken) => tryLock(cancellationToken);

    private static List<Digest> ReadDigests(SqlSession db, string sql, params object?[] values)
    {
        using var command = db.Command(sql, values);
        using var reader = command.ExecuteReader();
        var digests = new List<Digest>();
        while (reader.Read())
        {
            digests.Add(Digest.Parse(reader.GetString(0)));
        }

        return digests;
    }
}
