namespace Berth.Storage;

/// <summary>The lease statements, the same text for SQLite and PostgreSQL (both bind <c>$p0</c>, <c>$p1</c>, ...).</summary>
internal static class LeaseStatements
{
    /// <summary>
    /// Takes or renews lease $p0 for holder $p1 until $p2 when it is free, this holder's, or expired by $p3 (Unix
    /// milliseconds); changes one row when taken. One statement, so two nodes racing for a free or expired lease
    /// cannot both win: the loser's insert conflicts and its update's condition no longer holds, so it changes no row.
    /// </summary>
    public const string Acquire = """
        INSERT INTO leases (name, holder, expires_at) VALUES ($p0, $p1, $p2)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= $p3
        """;

    /// <summary>Frees lease $p0 only if holder $p1 holds it.</summary>
    public const string Release = "DELETE FROM leases WHERE name = $p0 AND holder = $p1";
}
