using System.Data.Common;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>SQLite's side of the shared statements: commands come prepared from <see cref="StatementCache"/>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private static readonly string[] Positions = ["$p0", "$p1", "$p2", "$p3", "$p4", "$p5", "$p6", "$p7", "$p8", "$p9", "$p10", "$p11", "$p12"];

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
}
