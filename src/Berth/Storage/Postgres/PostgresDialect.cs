using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Berth.Domain;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>PostgreSQL's side of the shared statements: <c>$name</c> is rewritten once to Npgsql's <c>@name</c>.</summary>
internal sealed partial class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private static readonly string[] Positions = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12", "p13", "p14", "p15"];

    private static readonly ConcurrentDictionary<string, string> Rewritten = new(StringComparer.Ordinal);

    private PostgresDialect()
    {
    }

    public override string Greatest => "GREATEST";

    public override DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) =>
        new NpgsqlCommand(Rewritten.GetOrAdd(sql, static text => Placeholder().Replace(text, "@$1")), (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);

    // Npgsql names a parameter without the prefix the statement writes.
    public override void Bind(DbCommand command, string name, object? value) =>
        ((NpgsqlCommand)command).Parameters.AddWithValue(name[1..], value ?? DBNull.Value);

    public override void Bind(DbCommand command, int position, object? value) =>
        ((NpgsqlCommand)command).Parameters.AddWithValue(Positions[position], value ?? DBNull.Value);

    // lower() folds ASCII, the only letters a user name may hold.
    public override string EqualsIgnoringCase(string column, string parameter) => $"lower({column}) = lower({parameter})";

    // One query, one row: the page of tags, ordered, as one array.
    public override string[]? ReadTagPage(SqlSession db, RepositoryKey repository, string after, int limit)
    {
        using var command = db.Command("""
            SELECT ARRAY(SELECT tag FROM image_tags WHERE repository_id = r.id AND tag > $after ORDER BY tag LIMIT $limit)
            FROM repositories r WHERE r.account_id = $account AND r.region = $region AND r.name = $name
            """);
        db.AddKey(command, repository);
        db.Bind(command, "$after", after);
        db.Bind(command, "$limit", limit + 1);
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetFieldValue<string[]>(0) : null;
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Placeholder();
}
