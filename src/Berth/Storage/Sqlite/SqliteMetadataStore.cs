using Berth.Domain;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>The embedded metadata store: one SQLite file in WAL mode under the data dir.</summary>
public sealed class SqliteMetadataStore(SqliteDatabase database) : IMetadataStore
{
    private const string RepositoryColumns =
        "id, account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key";

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
            using var current = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            var applied = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (version, sql) in SqliteMigrations.All)
            {
                if (version <= applied)
                {
                    continue;
                }

                Execute(connection, transaction, sql);
                using var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t)");
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);

    public Task<AccessKey?> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = Command(connection, null, "SELECT access_key_id, secret_access_key, account_id, created_at FROM access_keys WHERE access_key_id = $id");
            command.Parameters.AddWithValue("$id", accessKeyId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new AccessKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMillis(reader.GetInt64(3)))
                : null;
        }));

    public Task<int> CountAccessKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = Command(connection, null, "SELECT COUNT(*) FROM access_keys");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));

    public Task AddAccessKeyAsync(AccessKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "INSERT INTO access_keys (access_key_id, secret_access_key, account_id, created_at) VALUES ($id, $secret, $account, $created)");
            command.Parameters.AddWithValue("$id", key.AccessKeyId);
            command.Parameters.AddWithValue("$secret", key.SecretAccessKey);
            command.Parameters.AddWithValue("$account", key.AccountId);
            command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> CreateRepositoryAsync(Repository repository, IReadOnlyList<ResourceTag> tags, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO repositories (account_id, region, name, created_at, tag_mutability, mutability_filters, scan_on_push, encryption_type, kms_key)
                VALUES ($account, $region, $name, $created, $mutability, $filters, $scan, $encryption, $kms)
                ON CONFLICT (account_id, region, name) DO NOTHING
                RETURNING id
                """);
            AddKey(insert, repository.Key);
            insert.Parameters.AddWithValue("$created", repository.CreatedAt.ToUnixTimeMilliseconds());
            AddSettings(insert, repository);
            insert.Parameters.AddWithValue("$encryption", repository.EncryptionType);
            insert.Parameters.AddWithValue("$kms", (object?)repository.KmsKey ?? DBNull.Value);
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

    public Task<Repository?> GetRepositoryAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = Command(connection, null,
                $"SELECT {RepositoryColumns} FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
            AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }));

    public Task<Page<Repository>> ListRepositoriesAsync(RegistryScope scope, string? afterName, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = Command(connection, null, $"""
                SELECT {RepositoryColumns} FROM repositories
                WHERE account_id = $account AND region = $region AND name > $after
                ORDER BY name LIMIT $limit
                """);
            command.Parameters.AddWithValue("$account", scope.AccountId);
            command.Parameters.AddWithValue("$region", scope.Region);
            command.Parameters.AddWithValue("$after", afterName ?? string.Empty);
            command.Parameters.AddWithValue("$limit", limit + 1);
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
        }));

    public Task<bool> UpdateRepositoryAsync(Repository repository, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                UPDATE repositories SET tag_mutability = $mutability, mutability_filters = $filters, scan_on_push = $scan
                WHERE account_id = $account AND region = $region AND name = $name
                """);
            AddKey(command, repository.Key);
            AddSettings(command, repository);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<Repository?> DeleteRepositoryAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                $"DELETE FROM repositories WHERE account_id = $account AND region = $region AND name = $name RETURNING {RepositoryColumns}");
            AddKey(command, key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRepository(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ResourceTag>?> GetResourceTagsAsync(RepositoryKey key, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read<IReadOnlyList<ResourceTag>?>(connection =>
        {
            var id = FindRepositoryId(connection, null, key);
            if (id is null)
            {
                return null;
            }

            using var command = Command(connection, null, "SELECT key, value FROM repository_tags WHERE repository_id = $id ORDER BY key");
            command.Parameters.AddWithValue("$id", id.Value);
            using var reader = command.ExecuteReader();
            var tags = new List<ResourceTag>();
            while (reader.Read())
            {
                tags.Add(new ResourceTag(reader.GetString(0), reader.GetString(1)));
            }

            return tags;
        }));

    public Task<TagUpdateOutcome> UpdateResourceTagsAsync(
        RepositoryKey key,
        IReadOnlyList<ResourceTag> upsert,
        IReadOnlyList<string> remove,
        int maxTags,
        CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            var id = FindRepositoryId(connection, transaction, key);
            if (id is null)
            {
                return TagUpdateOutcome.RepositoryNotFound;
            }

            // Decide the limit before writing anything, so the update stays all-or-nothing.
            var keys = new HashSet<string>(StringComparer.Ordinal);
            using (var existing = Command(connection, transaction, "SELECT key FROM repository_tags WHERE repository_id = $id"))
            {
                existing.Parameters.AddWithValue("$id", id.Value);
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
                using var delete = Command(connection, transaction, "DELETE FROM repository_tags WHERE repository_id = $id AND key = $key");
                delete.Parameters.AddWithValue("$id", id.Value);
                delete.Parameters.AddWithValue("$key", tagKey);
                delete.ExecuteNonQuery();
            }

            return TagUpdateOutcome.Updated;
        }, cancellationToken);

    private static long? FindRepositoryId(SqliteConnection connection, SqliteTransaction? transaction, RepositoryKey key)
    {
        using var command = Command(connection, transaction, "SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name");
        AddKey(command, key);
        return command.ExecuteScalar() is long id ? id : null;
    }

    private static void UpsertTag(SqliteConnection connection, SqliteTransaction transaction, long repositoryId, ResourceTag tag)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO repository_tags (repository_id, key, value) VALUES ($id, $key, $value)
            ON CONFLICT (repository_id, key) DO UPDATE SET value = excluded.value
            """);
        command.Parameters.AddWithValue("$id", repositoryId);
        command.Parameters.AddWithValue("$key", tag.Key);
        command.Parameters.AddWithValue("$value", tag.Value);
        command.ExecuteNonQuery();
    }

    private static Repository ReadRepository(SqliteDataReader reader)
    {
        var filters = reader.GetString(6);
        return new Repository(
            new RepositoryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
            FromMillis(reader.GetInt64(4)),
            Enum.Parse<TagMutability>(reader.GetString(5)),
            filters.Length == 0 ? [] : filters.Split('\n'),
            reader.GetInt64(7) != 0,
            reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9));
    }

    private static void AddKey(SqliteCommand command, RepositoryKey key)
    {
        command.Parameters.AddWithValue("$account", key.AccountId);
        command.Parameters.AddWithValue("$region", key.Region);
        command.Parameters.AddWithValue("$name", key.Name);
    }

    private static void AddSettings(SqliteCommand command, Repository repository)
    {
        command.Parameters.AddWithValue("$mutability", repository.Mutability.ToString());
        command.Parameters.AddWithValue("$filters", string.Join('\n', repository.MutabilityExclusionFilters));
        command.Parameters.AddWithValue("$scan", repository.ScanOnPush ? 1 : 0);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
