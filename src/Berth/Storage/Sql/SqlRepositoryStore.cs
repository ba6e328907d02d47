using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Repositories and resource tags.</summary>
internal sealed class SqlRepositoryStore(ISqlDatabase database) : IRepositoryStore
{
    private const string RepositoryColumns =
        "id, account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key";

    public Task<bool> CreateAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken) =>
        database.WriteAsync(db => Insert(db, repository, tags) is not null, cancellationToken);

    public Task<Repository?> GetAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command(
                $"SELECT {RepositoryColumns} FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
            db.AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }, cancellationToken);

    public Task<Page<Repository>> ListAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command($"""
                SELECT {RepositoryColumns} FROM repositories
                WHERE account_id = $account AND region = $region AND name > $after
                ORDER BY name LIMIT $limit
                """);
            db.Bind(command, "$account", scope.AccountId);
            db.Bind(command, "$region", scope.Region);
            db.Bind(command, "$after", afterName ?? string.Empty);
            db.Bind(command, "$limit", limit + 1);
            using var reader = command.ExecuteReader();
            var items = new List<Repository>(Math.Min(limit, 128));
            var more = false;
            while (reader.Read())
            {
                if (items.Count == limit)
                {
                    more = true;
                    break;
                }

                items.Add(ReadRepository(reader));
            }

            return new Page<Repository>(items, more ? items[^1].Key.Name : null);
        }, cancellationToken);

    public Task<bool> UpdateAsync(Repository repository, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command("""
                UPDATE repositories SET tag_mutability = $mutability, mutability_filters = $filters, scan_on_push = $scan
                WHERE account_id = $account AND region = $region AND name = $name
                """);
            db.AddKey(command, repository.Key);
            AddSettings(db, command, repository);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<Repository?> DeleteAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(db =>
        {
            using var command = db.Command(
                $"DELETE FROM repositories WHERE account_id = $account AND region = $region AND name = $name RETURNING {RepositoryColumns}");
            db.AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ResourceTag>?> GetResourceTagsAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ResourceTag>?>(db =>
        {
            var id = db.FindRepositoryId(key);
            if (id is null)
            {
                return null;
            }

            using var command = db.Command("SELECT key, value FROM repository_tags WHERE repository_id = $id ORDER BY key");
            db.Bind(command, "$id", id.Value);
            using var reader = command.ExecuteReader();
            var tags = new List<ResourceTag>();
            while (reader.Read())
            {
                tags.Add(new ResourceTag(reader.GetString(0), reader.GetString(1)));
            }

            return tags;
        }, cancellationToken);

    public Task<TagUpdateOutcome> UpdateResourceTagsAsync(
        RepositoryKey key,
        IReadOnlyList<ResourceTag> upsert,
        IReadOnlyList<string> remove,
        int maxTags,
        CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            var id = db.FindRepositoryId(key);
            if (id is null)
            {
                return TagUpdateOutcome.RepositoryNotFound;
            }

            // Decide the limit before writing anything, so the update stays all-or-nothing.
            var keys = new HashSet<string>(StringComparer.Ordinal);
            using (var existing = db.Command("SELECT key FROM repository_tags WHERE repository_id = $id"))
            {
                db.Bind(existing, "$id", id.Value);
                using var reader = existing.ExecuteReader();
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            foreach (var tag in upsert)
            {
                keys.Add(tag.Key);
            }

            foreach (var tagKey in remove)
            {
                keys.Remove(tagKey);
            }

            if (keys.Count > maxTags)
            {
                return TagUpdateOutcome.TooManyTags;
            }

            foreach (var tag in upsert)
            {
                UpsertTag(db, id.Value, tag);
            }

            foreach (var tagKey in remove)
            {
                using var delete = db.Command("DELETE FROM repository_tags WHERE repository_id = $id AND key = $key");
                db.Bind(delete, "$id", id.Value);
                db.Bind(delete, "$key", tagKey);
                delete.ExecuteNonQuery();
            }

            return TagUpdateOutcome.Updated;
        }, cancellationToken);

    /// <summary>Inserts the repository and its tags; null (and nothing written) when the name is taken.</summary>
    internal static long? Insert(SqlSession db, Repository repository, IReadOnlyList<ResourceTag> tags)
    {
        using var insert = db.Command("""
            INSERT INTO repositories (account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key)
            VALUES ($account, $region, $name, $created, $mutability, $filters, $scan, $encryption, $kms)
            ON CONFLICT (account_id, region, name) DO NOTHING
            RETURNING id
            """);
        db.AddKey(insert, repository.Key);
        db.Bind(insert, "$created", repository.CreatedAt.ToUnixTimeMilliseconds());
        AddSettings(db, insert, repository);
        db.Bind(insert, "$encryption", repository.EncryptionType);
        db.Bind(insert, "$kms", (object?)repository.KmsKey ?? DBNull.Value);
        if (insert.ExecuteScalar() is not long id)
        {
            return null;
        }

        foreach (var tag in tags)
        {
            UpsertTag(db, id, tag);
        }

        return id;
    }

    private static void UpsertTag(SqlSession db, long repositoryId, ResourceTag tag)
    {
        using var command = db.Command("""
            INSERT INTO repository_tags (repository_id, key, value) VALUES ($id, $key, $value)
            ON CONFLICT (repository_id, key) DO UPDATE SET value = excluded.value
            """);
        db.Bind(command, "$id", repositoryId);
        db.Bind(command, "$key", tag.Key);
        db.Bind(command, "$value", tag.Value);
        command.ExecuteNonQuery();
    }

    private static Repository ReadRepository(DbDataReader reader)
    {
        var filters = reader.GetString(6);
        return new Repository(
            new RepositoryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
            SqlSession.FromMillis(reader.GetInt64(4)),
            Enum.Parse<TagMutability>(reader.GetString(5)),
            filters.Length == 0 ? [] : filters.Split('\n'),
            reader.GetInt64(7) != 0,
            reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9));
    }

    private static void AddSettings(SqlSession db, DbCommand command, Repository repository)
    {
        db.Bind(command, "$mutability", repository.Mutability.ToString());
        db.Bind(command, "$filters", string.Join('\n', repository.MutabilityExclusionFilters));
        db.Bind(command, "$scan", repository.ScanOnPush ? 1 : 0);
    }
}
