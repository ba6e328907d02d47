using System.Data.Common;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.PullThrough;

namespace Berth.Storage.Sql;

/// <summary>Pull-through cache rules (one row per registry and ECR prefix) and the upstream check time of cached tags.</summary>
internal sealed class SqlPullThroughStore(ISqlDatabase database) : IPullThroughStore
{
    private const string Registry = "account_id = $p0 AND region = $p1";
    private const string Columns =
        "account_id, region, ecr_repository_prefix, upstream_registry_url, upstream_registry, credential_arn, custom_role_arn, upstream_repository_prefix, created_at, updated_at";

    public Task<PullThroughRuleAddition> AddRuleAsync(PullThroughRule rule, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(db => Add(db, rule, limit), cancellationToken);

    public Task<PullThroughRule?> GetRuleAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken) =>
        database.ReadAsync(db => Find(db, registry, ecrRepositoryPrefix), cancellationToken);

    public Task<PullThroughRule?> UpdateRuleAsync(
        RegistryScope registry,
        string ecrRepositoryPrefix,
        string? credentialArn,
        string? customRoleArn,
        DateTimeOffset updatedAt,
        CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                var changed = db.NonQuery(
                    $"UPDATE pull_through_rules SET credential_arn = $p3, custom_role_arn = $p4, updated_at = $p5 WHERE {Registry} AND ecr_repository_prefix = $p2",
                    registry.AccountId, registry.Region, ecrRepositoryPrefix, credentialArn, customRoleArn, updatedAt.ToUnixTimeMilliseconds());
                return changed == 1 ? Find(db, registry, ecrRepositoryPrefix) : null;
            },
            cancellationToken);

    public Task<PullThroughRule?> DeleteRuleAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken) =>
        database.WriteFreeingAsync(
            db =>
            {
                if (Find(db, registry, ecrRepositoryPrefix) is not { } rule)
                {
                    return null;
                }

                db.NonQuery($"DELETE FROM pull_through_rules WHERE {Registry} AND ecr_repository_prefix = $p2", registry.AccountId, registry.Region, ecrRepositoryPrefix);
                return rule;
            },
            cancellationToken);

    public Task<Page<PullThroughRule>> ListRulesAsync(RegistryScope registry, string? afterPrefix, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(db => List(db, registry, afterPrefix, limit), cancellationToken);

    public Task<DateTimeOffset?> GetTagCheckAsync(RepositoryKey repository, string tag, CancellationToken cancellationToken) =>
        database.ReadAsync(
            db =>
            {
                using var find = db.Command(
                    """
                    SELECT c.checked_at FROM pull_through_tag_checks c JOIN repositories r ON r.id = c.repository_id
                    WHERE r.account_id = $p0 AND r.region = $p1 AND r.name = $p2 AND c.tag = $p3
                    """,
                    repository.AccountId, repository.Region, repository.Name, tag);
                return find.ExecuteScalar() is { } value and not DBNull
                    ? SqlSession.FromMillis(Convert.ToInt64(value, CultureInfo.InvariantCulture))
                    : (DateTimeOffset?)null;
            },
            cancellationToken);

    public Task<bool> SetTagCheckAsync(RepositoryKey repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                if (db.FindRepositoryId(repository) is not { } id)
                {
                    return false;
                }

                db.NonQuery(
                    "INSERT INTO pull_through_tag_checks (repository_id, tag, checked_at) VALUES ($p0, $p1, $p2) ON CONFLICT (repository_id, tag) DO UPDATE SET checked_at = excluded.checked_at",
                    id, tag, checkedAt.ToUnixTimeMilliseconds());
                return true;
            },
            cancellationToken);

    private static PullThroughRuleAddition Add(SqlSession db, PullThroughRule rule, int limit)
    {
        var registry = rule.Registry;
        if (db.Exists($"SELECT 1 FROM pull_through_rules WHERE {Registry} AND ecr_repository_prefix = $p2", registry.AccountId, registry.Region, rule.EcrRepositoryPrefix))
        {
            return PullThroughRuleAddition.AlreadyExists;
        }

        using (var count = db.Command($"SELECT COUNT(*) FROM pull_through_rules WHERE {Registry}", registry.AccountId, registry.Region))
        {
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= limit)
            {
                return PullThroughRuleAddition.LimitReached;
            }
        }

        db.NonQuery(
            $"INSERT INTO pull_through_rules ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9)",
            registry.AccountId, registry.Region, rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, rule.UpstreamRegistry, rule.CredentialArn,
            rule.CustomRoleArn, rule.UpstreamRepositoryPrefix, rule.CreatedAt.ToUnixTimeMilliseconds(), rule.UpdatedAt.ToUnixTimeMilliseconds());
        return PullThroughRuleAddition.Added;
    }

    private static PullThroughRule? Find(SqlSession db, RegistryScope registry, string prefix)
    {
        using var find = db.Command($"SELECT {Columns} FROM pull_through_rules WHERE {Registry} AND ecr_repository_prefix = $p2", registry.AccountId, registry.Region, prefix);
        using var reader = find.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Reads one more row than the page holds, so a next key is given only when more remain.</summary>
    private static Page<PullThroughRule> List(SqlSession db, RegistryScope registry, string? afterPrefix, int limit)
    {
        using var list = db.Command(
            $"SELECT {Columns} FROM pull_through_rules WHERE {Registry} AND ecr_repository_prefix > $p2 ORDER BY ecr_repository_prefix LIMIT $p3",
            registry.AccountId, registry.Region, afterPrefix ?? string.Empty, limit + 1);
        using var reader = list.ExecuteReader();
        var items = new List<PullThroughRule>(Math.Min(limit, 50));
        while (reader.Read())
        {
            if (items.Count == limit)
            {
                return new Page<PullThroughRule>(items, items[^1].EcrRepositoryPrefix);
            }

            items.Add(Read(reader));
        }

        return new Page<PullThroughRule>(items, null);
    }

    private static PullThroughRule Read(DbDataReader reader) => new(
        new RegistryScope(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        SqlSession.FromMillis(reader.GetInt64(8)),
        SqlSession.FromMillis(reader.GetInt64(9)));
}
