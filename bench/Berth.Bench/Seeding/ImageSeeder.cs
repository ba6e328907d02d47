using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Bench.Workloads;
using Berth.Domain;
using Berth.Hosting;
using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Bench.Seeding;

/// <summary>A repository seeded with images, and digests to start pages from.</summary>
public sealed record SeededRepository(string Name, int Count, IReadOnlyList<string> PageStarts, TimeSpan Elapsed);

/// <summary>
/// Fills a fresh data dir with one repository of N images. The schema and the repository come from Berth's own
/// metadata store (<see cref="SqliteMetadataStore.MigrateAsync"/>, <c>Repositories.CreateAsync</c>); the images are
/// then bulk-inserted with raw SQL in large transactions, with synchronous=OFF, because one PutImage per image
/// through the store's writer thread (one fsync each) would take hours for a million. The rows are what
/// PutImage writes: a real OCI manifest (unique by an annotation) with its sha256, one tag, and two blob references.
/// Blob files are not written; the scale workloads read only metadata.
/// </summary>
public static class ImageSeeder
{
    public const string Account = "000000000000";
    public const string Region = "us-east-1";
    private const int Batch = 50_000;

    public static async Task<SeededRepository> SeedAsync(string dataDir, string repositoryName, int count, int pageStarts = 1000)
    {
        var clock = Stopwatch.StartNew();
        DataDirectory.Ensure(dataDir);
        var path = Path.Combine(dataDir, "berth.db");
        await using (var database = new SqliteDatabase(path))
        {
            var store = new SqliteMetadataStore(database);
            await store.MigrateAsync(CancellationToken.None);
            var repository = new Repository(new RepositoryKey(Account, Region, repositoryName), DateTimeOffset.UtcNow, TagMutability.Mutable, [], false, "AES256", null);
            if (!await store.Repositories.CreateAsync(repository, [], CancellationToken.None))
            {
                throw new InvalidOperationException($"repository {repositoryName} already exists in {dataDir}");
            }
        }

        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        const long layerSize = 4096;
        var layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData("bench layer"u8));
        byte[] Manifest(int i) => SmallImage.Build(configDigest, config.Length, layerDigest, layerSize, i);

        // Digests first, so the rows go in in key order (append-only B-tree pages).
        var hashes = new byte[count * 32];
        Parallel.For(0, count, i => SHA256.HashData(Manifest(i), hashes.AsSpan(i * 32, 32)));
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => hashes.AsSpan(a * 32, 32).SequenceCompareTo(hashes.AsSpan(b * 32, 32)));
        BenchContext.Log($"seed: schema and digests after {clock.Elapsed.TotalSeconds:F1} s");
        string DigestOf(int i) => "sha256:" + Convert.ToHexStringLower(hashes.AsSpan(i * 32, 32));

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // No journal and no fsync while seeding (a crash just means seeding again); WAL again at the end, as Berth runs it.
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");

        // Secondary indexes are dropped and rebuilt with their own SQL afterwards: one sorted build instead of a
        // million random inserts (images_by_push is not in digest order). The schema ends exactly as migrated.
        var indexes = new List<(string Name, string Sql)>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('images', 'image_references', 'image_tags')";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, $"DROP INDEX {name}");
        }

        long repositoryId;
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT id FROM repositories WHERE account_id = $a AND region = $r AND name = $n";
            find.Parameters.AddWithValue("$a", Account);
            find.Parameters.AddWithValue("$r", Region);
            find.Parameters.AddWithValue("$n", repositoryName);
            repositoryId = (long)find.ExecuteScalar()!;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var firstPush = now - (count * 1000L);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var (digest, size) in new[] { (configDigest, (long)config.Length), (layerDigest, layerSize) })
            {
                Execute(connection, $"INSERT INTO blobs (digest, size, created_at) VALUES ('{digest}', {size}, {firstPush})", transaction);
                Execute(connection, $"INSERT INTO repository_blobs (repository_id, digest, linked_at) VALUES ({repositoryId}, '{digest}', {firstPush})", transaction);
            }

            transaction.Commit();
        }

        InBatches(connection, count, """
            INSERT INTO images (repository_id, digest, media_type, manifest, manifest_size, image_size, pushed_at,
                                artifact_media_type, artifact_type, subject_digest, annotations, tag_count)
            VALUES ($repo, $digest, $media, $manifest, $manifestSize, $imageSize, $pushed, $config, $config, NULL, $annotations, 1);
            INSERT INTO image_references (repository_id, digest, child_digest, kind) VALUES ($repo, $digest, $firstChild, 0);
            INSERT INTO image_references (repository_id, digest, child_digest, kind) VALUES ($repo, $digest, $secondChild, 0);
            """,
            command =>
            {
                command.Parameters.AddWithValue("$repo", repositoryId);
                command.Parameters.AddWithValue("$media", SmallImage.MediaType);
                command.Parameters.AddWithValue("$imageSize", layerSize);
                command.Parameters.AddWithValue("$config", "application/vnd.oci.image.config.v1+json");
                command.Parameters.AddWithValue("$firstChild", string.CompareOrdinal(configDigest, layerDigest) < 0 ? configDigest : layerDigest);
                command.Parameters.AddWithValue("$secondChild", string.CompareOrdinal(configDigest, layerDigest) < 0 ? layerDigest : configDigest);
                return [command.Parameters.Add("$digest", SqliteType.Text), command.Parameters.Add("$manifest", SqliteType.Blob),
                        command.Parameters.Add("$manifestSize", SqliteType.Integer), command.Parameters.Add("$pushed", SqliteType.Integer),
                        command.Parameters.Add("$annotations", SqliteType.Text)];
            },
            (row, parameters) =>
            {
                var i = order[row];
                var manifest = Manifest(i);
                parameters[0].Value = DigestOf(i);
                parameters[1].Value = manifest;
                parameters[2].Value = manifest.Length;
                parameters[3].Value = firstPush + (i * 1000L);
                parameters[4].Value = "{\"bench.index\":\"" + i.ToString(CultureInfo.InvariantCulture) + "\"}";
            });

        BenchContext.Log($"seed: images after {clock.Elapsed.TotalSeconds:F1} s");

        // Tags in tag order: v0000000, v0000001, … (index order).
        InBatches(connection, count, "INSERT INTO image_tags (repository_id, tag, digest, updated_at) VALUES ($repo, $tag, $digest, $updated)",
            command =>
            {
                command.Parameters.AddWithValue("$repo", repositoryId);
                return [command.Parameters.Add("$tag", SqliteType.Text), command.Parameters.Add("$digest", SqliteType.Text), command.Parameters.Add("$updated", SqliteType.Integer)];
            },
            (i, parameters) =>
            {
                parameters[0].Value = i.ToString("'v'0000000", CultureInfo.InvariantCulture);
                parameters[1].Value = DigestOf(i);
                parameters[2].Value = firstPush + (i * 1000L);
            });

        BenchContext.Log($"seed: tags after {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (_, sql) in indexes)
        {
            Execute(connection, sql);
        }

        Execute(connection, "PRAGMA journal_mode=WAL;");
        BenchContext.Log($"seed: indexes after {clock.Elapsed.TotalSeconds:F1} s");

        // Page starts spread over the keyset, each leaving a full page of 100 after it.
        var starts = new List<string>(pageStarts);
        var usable = Math.Max(1, count - 101);
        var random = new Random(count);
        for (var s = 0; s < pageStarts; s++)
        {
            starts.Add(DigestOf(order[random.Next(usable)]));
        }

        return new SeededRepository(repositoryName, count, starts, clock.Elapsed);
    }

    private static void InBatches(
        SqliteConnection connection, int count, string sql, Func<SqliteCommand, SqliteParameter[]> prepare, Action<int, SqliteParameter[]> bind)
    {
        for (var start = 0; start < count; start += Batch)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            var parameters = prepare(command);
            command.Prepare();
            var end = Math.Min(count, start + Batch);
            for (var row = start; row < end; row++)
            {
                bind(row, parameters);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
