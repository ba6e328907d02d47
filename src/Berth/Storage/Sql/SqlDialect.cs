using System.Data.Common;
using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>
/// How one database's SQL and ADO.NET provider differ, for statements written once for both. Statements name their
/// parameters <c>$name</c> (positional ones <c>$p0</c>, <c>$p1</c>, ...); a dialect binds them its own way.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A command for <paramref name="sql"/> on the connection; dispose it after use.</summary>
    public abstract DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql);

    /// <summary>
    /// Binds <paramref name="value"/> (null as SQL NULL) to the parameter <paramref name="name"/>, written as the
    /// statement writes it, with its <c>$</c>.
    /// </summary>
    public abstract void Bind(DbCommand command, string name, object? value);

    /// <summary>Binds <paramref name="value"/> (null as SQL NULL) to <c>$p{position}</c>.</summary>
    public abstract void Bind(DbCommand command, int position, object? value);

    /// <summary>The function that answers the larger of two values (<c>MAX</c> on SQLite, <c>GREATEST</c> on PostgreSQL).</summary>
    public abstract string Greatest { get; }

    /// <summary>
    /// A condition that <paramref name="column"/> equals <paramref name="parameter"/> ignoring ASCII case, as IAM
    /// compares user names.
    /// </summary>
    public abstract string EqualsIgnoringCase(string column, string parameter);

    /// <summary>
    /// The repository's tags after <paramref name="after"/>, in order, in one query: at least <paramref name="limit"/>
    /// + 1 of them when there are that many, so the caller can tell whether another page follows; null when the
    /// repository does not exist.
    /// </summary>
    public abstract string[]? ReadTagPage(SqlSession db, RepositoryKey repository, string after, int limit);
}
