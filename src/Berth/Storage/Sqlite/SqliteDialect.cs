using System.Data.Common;
using System.Numerics;
using Berth.Domain;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>SQLite's side of the shared statements: commands come prepared from <see cref="StatementCache"/>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private static readonly string[] Positions = ["$p0", "$p1", "$p2", "$p3", "$p4", "$p5", "$p6", "$p7", "$p8", "$p9", "$p10", "$p11", "$p12", "$p13", "$p14", "$p15"];

    private SqliteDialect()
    {
    }

    public override string Greatest => "MAX";

    public override DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) =>
        SqlHelpers.Command((SqliteConnection)connection, (SqliteTransaction?)transaction, sql);

    // SQLite binds "$name" as written, so the name is passed as it stands: no lookup of other prefixes.
    public override void Bind(DbCommand command, string name, object? value) =>
        ((SqliteCommand)command).Parameters.AddWithValue(name, value ?? DBNull.Value);

    public override void Bind(DbCommand command, int position, object? value) => Bind(command, Positions[position], value);

    // NOCASE folds ASCII, the only letters a user name may hold.
    public override string EqualsIgnoringCase(string column, string parameter) => $"{column} = {parameter} COLLATE NOCASE";

    // One query, one row: every read pays for a read transaction's locks, and a row per tag cost more than the lookup
    // itself; tags cannot hold a newline, so it separates them. The LIMIT is written into the SQL because SQLite ran
    // this query at half the speed with a bound one; rounding it up to a power of two keeps the distinct texts (each
    // prepared once per connection) to a handful, at the cost of reading at most twice the rows. See docs/benchmarks.md.
    public override string[]? ReadTagPage(SqlSession db, RepositoryKey repository, string after, int limit)
    {
        var fetch = BitOperations.RoundUpToPowerOf2((uint)limit + 1);
        using var command = db.Command($"""
            SELECT (SELECT group_concat(tag, char(10)) FROM
                        (SELECT tag FROM image_tags WHERE repository_id = r.id AND tag > $after ORDER BY tag LIMIT {fetch}))
            FROM repositories r WHERE r.account_id = $account AND r.region = $region AND r.name = $name
            """);
        db.AddKey(command, repository);
        db.Bind(command, "$after", after);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        if (reader.IsDBNull(0))
        {
            return [];
        }

        // The subquery picks the page in order; the concatenation's own order is unspecified, and sorting here was
        // cheaper than asking group_concat to sort.
        var tags = reader.GetString(0).Split('\n');
        Array.Sort(tags, StringComparer.Ordinal);
        return tags;
    }
}
