using Berth.Domain;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>Repositories and resource tags in PostgreSQL.</summary>
internal sealed class PostgresRepositoryStore(PostgresDatabase database) : IRepositoryStore
{
    private const string RepositoryColumns =
        "id, account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key";

    public Task<bool> CreateAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var insert = PgSql.Command(connection, transaction, """
                INSERT INTO repositories (account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key)
                VALUES ($account, $region, $name, $created, $mutability, $filters, $scan, $encryption, $kms)
                ON CONFLICT (account_id, region, name) DO NOTHING
                RETURNING id
                """);
            PgSql.AddKey(insert, repository.Key);
            insert.Parameters.AddWithValue("created", repository.CreatedAt.ToUnixTimeMilliseconds());
            AddSettings(insert, repository);
            insert.Parameters.AddWithValue("encryption", repository.EncryptionType);
            insert.Parameters.AddWithValue("kms", (object?)repository.KmsKey ?? DBNull.Value);
            var id = insert.ExecuteScalar();
            if (id is null)
            {
                return false;
            }

            foreach (var tag in tags)
            {
                UpsertTag(connection, transaction, (long)id, tag);
            }

            return true;
        }, cancellationToken);

    public Task<Repository?> GetAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null,
                $"SELECT {RepositoryColumns} FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
            PgSql.AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }, cancellationToken);

    public Task<Page<Repository>> ListAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = PgSql.Command(connection, null, $"""
                SELECT {RepositoryColumns} FROM repositories
                WHERE account_id = $account AND region = $region AND name > $after
                ORDER BY name LIMIT $limit
                """);
            command.Parameters.AddWithValue("account", scope.AccountId);
            command.Parameters.AddWithValue("region", scope.Region);
            command.Parameters.AddWithValue("after", afterName ?? string.Empty);
            command.Parameters.AddWithValue("limit", limit + 1);
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
        database.WriteAsync((connection, transaction) =>
        {
            using var command = PgSql.Command(connection, transaction, """
                UPDATE repositories SET tag_mutability = $mutability, mutability_filters = $filters, scan_on_push = $scan
                WHERE account_id = $account AND region = $region AND name = $name
                """);
            PgSql.AddKey(command, repository.Key);
            AddSettings(command, repository);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<Repository?> DeleteAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = PgSql.Command(connection, transaction,
                $"DELETE FROM repositories WHERE account_id = $account AND region = $region AND name = $name RETURNING {RepositoryColumns}");
            PgSql.AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ResourceTag>?> GetResourceTagsAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ResourceTag>?>(connection =>
        {
            var id = PgSql.FindRepositoryId(connection, null, key);
            if (id is null)
            {
                return null;
            }

            using var command = PgSql.Command(connection, null, "SELECT key, value FROM repository_tags WHERE repository_id = $id ORDER BY key");
            command.Parameters.AddWithValue("id", id.Value);
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
        database.WriteAsync((connection, transaction) =>
        {
            var id = PgSql.FindRepositoryId(connection, transaction, key);
            if (id is null)
            {
                return TagUpdateOutcome.RepositoryNotFound;
            }

            // Decide the limit before writing anything, so the update stays all-or-nothing.
            var keys = new HashSet<string>(StringComparer.Ordinal);
            using (var existing = PgSql.Command(connection, transaction, "SELECT key FROM repository_tags WHERE repository_id = $id"))
            {
                existing.Parameters.AddWithValue("id", id.Value);
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
                UpsertTag(connection, transaction, id.Value, tag);
            }

            foreach (var tagKey in remove)
            {
                using var delete = PgSql.Command(connection, transaction, "DELETE FROM repository_tags WHERE repository_id = $id AND key = $key");
                delete.Parameters.AddWithValue("id", id.Value);
                delete.Parameters.AddWithValue("key", tagKey);
                delete.ExecuteNonQuery();
            }

            return TagUpdateOutcome.Updated;
        }, cancellationToken);

    private static void UpsertTag(NpgsqlConnection connection, NpgsqlTransaction transaction, long repositoryId, ResourceTag tag)
    {
        using var command = PgSql.Command(connection, transaction, """
            INSERT INTO repository_tags (repository_id, key, value) VALUES ($id, $key, $value)
            ON CONFLICT (repository_id, key) DO UPDATE SET value = excluded.value
            """);
        command.Parameters.AddWithValue("id", repositoryId);
        command.Parameters.AddWithValue("key", tag.Key);
        command.Parameters.AddWithValue("value", tag.Value);
        command.ExecuteNonQuery();
    }

    private static Repository ReadRepository(NpgsqlDataReader reader)
    {
        var filters = reader.GetString(6);
        return new Repository(
            new RepositoryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
            PgSql.FromMillis(reader.GetInt64(4)),
            Enum.Parse<TagMutability>(reader.GetString(5)),
            filters.Length == 0 ? [] : filters.Split('\n'),
            reader.GetInt64(7) != 0,
            reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9));
    }

    private static void AddSettings(NpgsqlCommand command, Repository repository)
    {
        command.Parameters.AddWithValue("mutability", repository.Mutability.ToString());
        command.Parameters.AddWithValue("filters", string.Join('\n', repository.MutabilityExclusionFilters));
        command.Parameters.AddWithValue("scan", repository.ScanOnPush ? 1 : 0);
    }
}
