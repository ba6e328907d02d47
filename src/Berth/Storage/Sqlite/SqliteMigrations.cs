namespace Berth.Storage.Sqlite;

/// <summary>Numbered schema migrations, applied in order at start; a number is never edited once released.</summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE access_keys (
                access_key_id TEXT PRIMARY KEY,
                secret_access_key TEXT NOT NULL,
                account_id TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE repositories (
                id INTEGER PRIMARY KEY,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                tag_mutability TEXT NOT NULL,
                mutability_filters TEXT NOT NULL,
                scan_on_push INTEGER NOT NULL,
                encryption_type TEXT NOT NULL,
                kms_key TEXT,
                UNIQUE (account_id, region, name)
            );
            CREATE TABLE repository_tags (
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (repository_id, key)
            );
            """),
    ];
}
