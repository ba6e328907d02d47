using System.Data.Common;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>PostgreSQL's side of the shared statements: <c>$name</c> is rewritten once to Npgsql's <c>@name</c>.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private static readonly string[] Positions = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12"];

    private PostgresDialect()
    {
    }

    public override string Greatest => "GREATEST";

    public override DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) =>
        PgSql.Command((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, sql);

    // Npgsql names a parameter without the prefix the statement writes.
    public override void Bind(DbCommand command, string name, object? value) =>
        ((NpgsqlCommand)command).Parameters.AddWithValue(name[1..], value ?? DBNull.Value);

    public override void Bind(DbCommand command, int position, object? value) =>
        ((NpgsqlCommand)command).Parameters.AddWithValue(Positions[position], value ?? DBNull.Value);

    // lower() folds ASCII, the only letters a user name may hold.
    public override string EqualsIgnoringCase(string column, string parameter) => $"lower({column}) = lower({parameter})";
}
