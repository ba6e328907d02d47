using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage;

/// <summary>
/// The pull-time exclusion statements and their reading, the same for SQLite and PostgreSQL (both bind <c>$p0</c>,
/// <c>$p1</c>, ...); each backend passes its own command factory, bound to the open connection and transaction.
/// </summary>
internal static class PullExclusionSql
{
    /// <summary>Builds a command for the statement with its positional values; the caller disposes it.</summary>
    public delegate DbCommand Factory(string sql, params object?[] values);

    private const string Registry = "account_id = $p0 AND region = $p1";

    public static PullExclusionAddition Add(Factory command, RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit)
    {
        if (Contains(command, registry, principalArn))
        {
            return PullExclusionAddition.AlreadyExcluded;
        }

        using (var count = command($"SELECT COUNT(*) FROM pull_time_exclusions WHERE {Registry}", registry.AccountId, registry.Region))
        {
            if (Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) >= limit)
            {
                return PullExclusionAddition.LimitReached;
            }
        }

        using var insert = command(
            "INSERT INTO pull_time_exclusions (account_id, region, principal_arn, created_at) VALUES ($p0, $p1, $p2, $p3)",
            registry.AccountId, registry.Region, principalArn, createdAt.ToUnixTimeMilliseconds());
        insert.ExecuteNonQuery();
        return PullExclusionAddition.Added;
    }

    public static bool Remove(Factory command, RegistryScope registry, string principalArn)
    {
        using var delete = command($"DELETE FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
        return delete.ExecuteNonQuery() == 1;
    }

    public static bool Contains(Factory command, RegistryScope registry, string principalArn)
    {
        using var find = command($"SELECT 1 FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
        return find.ExecuteScalar() is not null;
    }

    /// <summary>Reads one more row than the page holds, so a next key is given only when more remain.</summary>
    public static Page<string> List(Factory command, RegistryScope registry, string? afterArn, int limit)
    {
        using var list = command(
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
