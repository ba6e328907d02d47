using System.Globalization;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Pull-time update exclusions: one row per registry and principal ARN.</summary>
internal sealed class SqlPullExclusionStore(ISqlDatabase database) : IPullExclusionStore
{
    private const string Registry = "account_id = $p0 AND region = $p1";

    public Task<PullExclusionAddition> AddAsync(RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(db => Add(db, registry, principalArn, createdAt, limit), cancellationToken);

    public Task<bool> RemoveAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        database.WriteAsync(
            db =>
            {
                using var delete = db.Command($"DELETE FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
                return delete.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    public Task<Page<string>> ListAsync(RegistryScope registry, string? afterArn, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(db => List(db, registry, afterArn, limit), cancellationToken);

    public Task<bool> ContainsAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        database.ReadAsync(db => Contains(db, registry, principalArn), cancellationToken);

    private static PullExclusionAddition Add(SqlSession db, RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit)
    {
        if (Contains(db, registry, principalArn))
        {
            return PullExclusionAddition.AlreadyExcluded;
        }

        using (var count = db.Command($"SELECT COUNT(*) FROM pull_time_exclusions WHERE {Registry}", registry.AccountId, registry.Region))
        {
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= limit)
            {
                return PullExclusionAddition.LimitReached;
            }
        }

        using var insert = db.Command(
            "INSERT INTO pull_time_exclusions (account_id, region, principal_arn, created_at) VALUES ($p0, $p1, $p2, $p3)",
            registry.AccountId, registry.Region, principalArn, createdAt.ToUnixTimeMilliseconds());
        insert.ExecuteNonQuery();
        return PullExclusionAddition.Added;
    }

    private static bool Contains(SqlSession db, RegistryScope registry, string principalArn)
    {
        using var find = db.Command($"SELECT 1 FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
        return find.ExecuteScalar() is not null;
    }

    /// <summary>Reads one more row than the page holds, so a next key is given only when more remain.</summary>
    private static Page<string> List(SqlSession db, RegistryScope registry, string? afterArn, int limit)
    {
        using var list = db.Command(
            $"SELECT principal_arn FROM pull_time_exclusions WHERE {Registry} AND principal_arn > $p2 ORDER BY principal_arn LIMIT $p3",
            registry.AccountId, registry.Region, afterArn ?? string.Empty, limit + 1);
        using var reader = list.ExecuteReader();
        var items = new List<string>(Math.Min(limit, 100));
        while (reader.Read())
        {
            if (items.Count == limit)
            {
                return new Page<string>(items, items[^1]);
            }

            items.Add(reader.GetString(0));
        }

        return new Page<string>(items, null);
    }
}
