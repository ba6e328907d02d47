namespace Berth.Storage.Migration;

/// <summary>
/// What <c>berth migrate</c> does with each table of the SQLite schema. Every table must be named here, either copied
/// or left behind with the reason: migrate refuses a source with a table it does not know, and
/// <c>MigrationTablesTests</c> fails when a migration adds a table that is not listed, so no table is dropped silently.
/// </summary>
public static class MigrationTables
{
    /// <summary>The tables copied row by row, parents before children, so the target's foreign keys hold at every insert.</summary>
    public static IReadOnlyList<string> Copied { get; } =
    [
        "users",
        "user_policies",
        "access_keys",
        "repositories",
        "repository_tags",
        "repository_policies",
        "registry_policies",
        "account_settings",
        "blobs",
        "repository_blobs",
        "images",
        "image_tags",
        "image_references",
        "lifecycle_policies",
        "lifecycle_previews",
        "lifecycle_preview_chunks",
        "pull_time_exclusions",
        "registry_keys",
        "outbox",
        "replication_configurations",
        "replication_statuses",
        "repository_creation_templates",
        "pull_through_rules",
        "pull_through_tag_checks",
        "secrets",
        "signing_profiles",
        "signing_configurations",
        "image_signing_jobs",
        "registry_scanning_configurations",
        "image_scans",
    ];

    /// <summary>
    /// Copied tables that a process fills by itself when it opens the target (its signing key, created at start): the
    /// source's rows replace them, so tokens and URLs the old registry signed stay valid on every new node.
    /// </summary>
    public static IReadOnlySet<string> Replaced { get; } = new HashSet<string>(StringComparer.Ordinal) { "registry_keys" };

    /// <summary>The tables left behind, each with why, as migrate reports them.</summary>
    public static IReadOnlyDictionary<string, string> LeftBehind { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["uploads"] = "upload sessions in flight (their bytes stay in the data dir; clients start those uploads again)",
        ["leases"] = "background-job leases (the nodes take new ones)",
        ["vulndb_imports"] = "the imported vulnerability database (run berth vulndb import against the target)",
        ["vulndb_advisories"] = "the imported vulnerability database (run berth vulndb import against the target)",
        ["vulndb_packages"] = "the imported vulnerability database (run berth vulndb import against the target)",
        ["schema_migrations"] = "schema versions (each backend numbers its own migrations)",
    };

    /// <summary>Whether migrate knows what to do with <paramref name="table"/>.</summary>
    public static bool IsKnown(string table) => LeftBehind.ContainsKey(table) || Copied.Contains(table, StringComparer.Ordinal);
}
