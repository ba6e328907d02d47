using System.Data.Common;
using System.Globalization;
using Berth.Domain;

namespace Berth.Storage;

/// <summary>
/// Pull-time update exclusions in SQL, one row per registry and principal ARN. The statements are the same for SQLite
/// and PostgreSQL (both bind <c>$p0</c>, <c>$p1</c>, ...); a backend supplies only how a read and a write transaction
/// run and make commands.
/// </summary>
internal abstract class PullExclusionStore : IPullExclusionStore
{
    private const string Registry = "account_id = $p0 AND region = $p1";

    /// <summary>Builds a command for the statement with its positional values, in the running transaction; the caller disposes it.</summary>
    protected delegate DbCommand Factory(string sql, params object?[] values);

    public Task<PullExclusionAddition> AddAsync(RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit, CancellationToken cancellationToken) =>
        WriteAsync(command => Add(command, registry, principalArn, createdAt, limit), cancellationToken);

    public Task<bool> RemoveAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        WriteAsync(
            command =>
            {
                using var delete = command($"DELETE FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
                return delete.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    public Task<Page<string>> ListAsync(RegistryScope registry, string? afterArn, int limit, CancellationToken cancellationToken) =>
        ReadAsync(command => List(command, registry, afterArn, limit), cancellationToken);

    public Task<bool> ContainsAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken) =>
        ReadAsync(command => Contains(command, registry, principalArn), cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a read of the backend.</summary>
    protected abstract Task<T> ReadAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction of the backend.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<Factory, T> work, CancellationToken cancellationToken);

    private static PullExclusionAddition Add(Factory command, RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit)
    {
        if (Contains(command, registry, principalArn))
        {
            return PullExclusionAddition.AlreadyExcluded;
        }

        using (var count = command($"SELECT COUNT(*) FROM pull_time_exclusions WHERE {Registry}", registry.AccountId, registry.Region))
        {
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= limit)
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

    private static bool Contains(Factory command, RegistryScope registry, string principalArn)
    {
        using var find = command($"SELECT 1 FROM pull_time_exclusions WHERE {Registry} AND principal_arn = $p2", registry.AccountId, registry.Region, principalArn);
        return find.ExecuteScalar() is not null;
    }

    /// <summary>Reads one more row than the page holds, so a next key is given only when more remain.</summary>
    private static Page<string> List(Factory command, RegistryScope registry, string? afterArn, int limit)
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
