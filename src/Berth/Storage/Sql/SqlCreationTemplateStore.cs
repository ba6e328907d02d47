using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Templates;

namespace Berth.Storage.Sql;

/// <summary>Repository creation templates: one row per registry and prefix key; resource tags as a JSON array of pairs.</summary>
internal sealed class SqlCreationTemplateStore(ISqlDatabase database) : ICreationTemplateStore
{
    private const string Registry = "account_id = $p0 AND region = $p1";

    private const string Columns =
        "prefix, description, encryption_type, kms_key, resource_tags, tag_mutability, mutability_filters, repository_policy, lifecycle_policy, applied_for, custom_role_arn, created_at, updated_at";

    public Task<TemplateAddition> AddAsync(RegistryScope registry, CreationTemplate template, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (db.Exists($"SELECT 1 FROM repository_creation_templates WHERE {Registry} AND prefix_key = $p2", registry.AccountId, registry.Region, template.Key))
            {
                return TemplateAddition.AlreadyExists;
            }

            using (var count = db.Command($"SELECT COUNT(*) FROM repository_creation_templates WHERE {Registry}", registry.AccountId, registry.Region))
            {
                if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= limit)
                {
                    return TemplateAddition.LimitReached;
                }
            }

            using var insert = db.Command($"""
                INSERT INTO repository_creation_templates (account_id, region, prefix_key, {Columns})
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15)
                """,
                [registry.AccountId, registry.Region, template.Key, .. Values(template)]);
            insert.ExecuteNonQuery();
            return TemplateAddition.Added;
        }, cancellationToken);

    public Task<bool> ReplaceAsync(RegistryScope registry, CreationTemplate template, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            // The creation time is the stored one whatever the caller passes.
            using var update = db.Command($"""
                UPDATE repository_creation_templates SET
                    prefix = $p3, description = $p4, encryption_type = $p5, kms_key = $p6, resource_tags = $p7, tag_mutability = $p8,
                    mutability_filters = $p9, repository_policy = $p10, lifecycle_policy = $p11, applied_for = $p12, custom_role_arn = $p13,
                    updated_at = $p15
                WHERE {Registry} AND prefix_key = $p2
                """,
                [registry.AccountId, registry.Region, template.Key, .. Values(template)]);
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<CreationTemplate?> DeleteAsync(RegistryScope registry, string key, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var delete = db.Command(
                $"DELETE FROM repository_creation_templates WHERE {Registry} AND prefix_key = $p2 RETURNING {Columns}", registry.AccountId, registry.Region, key);
            using var reader = delete.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<CreationTemplate>> FindAsync(RegistryScope registry, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CreationTemplate>>(db =>
        {
            var found = new List<CreationTemplate>(keys.Count);
            if (keys.Count == 0)
            {
                return found;
            }

            // One statement per distinct key: a lookup names a handful (one per namespace level of a repository name).
            var sql = $"SELECT {Columns} FROM repository_creation_templates WHERE {Registry} AND prefix_key = $p2";
            foreach (var key in new SortedSet<string>(keys, StringComparer.Ordinal))
            {
                using var select = db.Command(sql, registry.AccountId, registry.Region, key);
                using var reader = select.ExecuteReader();
                if (reader.Read())
                {
                    found.Add(Read(reader));
                }
            }

            return found;
        }, cancellationToken);

    public Task<Page<CreationTemplate>> ListAsync(RegistryScope registry, string? afterKey, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var list = db.Command(
                $"SELECT {Columns} FROM repository_creation_templates WHERE {Registry} AND prefix_key > $p2 ORDER BY prefix_key LIMIT $p3",
                registry.AccountId, registry.Region, afterKey ?? string.Empty, limit + 1);
            using var reader = list.ExecuteReader();
            var items = new List<CreationTemplate>(Math.Min(limit, 100));
            while (reader.Read())
            {
                if (items.Count == limit)
                {
                    return new Page<CreationTemplate>(items, items[^1].Key);
                }

                items.Add(Read(reader));
            }

            return new Page<CreationTemplate>(items, null);
        }, cancellationToken);

    public Task<bool> CreateRepositoryAsync(
        Repository repository,
        IReadOnlyList<ResourceTag> tags,
        string? repositoryPolicy,
        string? lifecyclePolicy,
        CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            if (SqlRepositoryStore.Insert(db, repository, tags) is not { } id)
            {
                return false;
            }

            if (repositoryPolicy is not null)
            {
                db.NonQuery("INSERT INTO repository_policies (repository_id, policy_text) VALUES ($p0, $p1)", id, repositoryPolicy);
            }

            if (lifecyclePolicy is not null)
            {
                db.NonQuery("INSERT INTO lifecycle_policies (repository_id, policy_text) VALUES ($p0, $p1)", id, lifecyclePolicy);
            }

            return true;
        }, cancellationToken);

    /// <summary>The values of <see cref="Columns"/> in order, nulls as database nulls.</summary>
    private static object?[] Values(CreationTemplate template) =>
    [
        template.Prefix,
        OrNull(template.Description),
        template.EncryptionType,
        OrNull(template.KmsKey),
        EncodeTags(template.ResourceTags),
        template.Mutability.ToString(),
        string.Join('\n', template.MutabilityExclusionFilters),
        OrNull(template.RepositoryPolicy),
        OrNull(template.LifecyclePolicy),
        (long)template.AppliedFor,
        OrNull(template.CustomRoleArn),
        template.CreatedAt.ToUnixTimeMilliseconds(),
        template.UpdatedAt.ToUnixTimeMilliseconds(),
    ];

    private static object OrNull(string? value) => (object?)value ?? DBNull.Value;

    private static CreationTemplate Read(DbDataReader reader)
    {
        var filters = reader.GetString(6);
        return new CreationTemplate(
            reader.GetString(0),
            NullableString(reader, 1),
            reader.GetString(2),
            NullableString(reader, 3),
            DecodeTags(reader.GetString(4)),
            Enum.Parse<TagMutability>(reader.GetString(5)),
            filters.Length == 0 ? [] : filters.Split('\n'),
            NullableString(reader, 7),
            NullableString(reader, 8),
            (TemplateUses)reader.GetInt64(9),
            NullableString(reader, 10),
            SqlSession.FromMillis(reader.GetInt64(11)),
            SqlSession.FromMillis(reader.GetInt64(12)));
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string EncodeTags(IReadOnlyList<ResourceTag> tags)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var tag in tags)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(tag.Key);
                writer.WriteStringValue(tag.Value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ResourceTag[] DecodeTags(string json)
    {
        using var document = JsonDocument.Parse(json);
        var tags = new ResourceTag[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var pair in document.RootElement.EnumerateArray())
        {
            tags[i++] = new ResourceTag(pair[0].GetString()!, pair[1].GetString()!);
        }

        return tags;
    }
}
