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
        (2, """
            CREATE TABLE blobs (
                digest TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE repository_blobs (
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                digest TEXT NOT NULL REFERENCES blobs (digest),
                linked_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX repository_blobs_by_digest ON repository_blobs (digest);
            CREATE TABLE images (
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                media_type TEXT NOT NULL,
                manifest BLOB NOT NULL,
                manifest_size INTEGER NOT NULL,
                image_size INTEGER NOT NULL,
                pushed_at INTEGER NOT NULL,
                artifact_media_type TEXT,
                artifact_type TEXT,
                subject_digest TEXT,
                annotations TEXT,
                last_pulled_at INTEGER,
                tag_count INTEGER NOT NULL DEFAULT 0,
                storage_class TEXT NOT NULL DEFAULT 'STANDARD',
                last_archived_at INTEGER,
                last_activated_at INTEGER,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX images_by_push ON images (repository_id, pushed_at, digest);
            CREATE INDEX images_tagged ON images (repository_id, digest) WHERE tag_count > 0;
            CREATE INDEX images_untagged ON images (repository_id, digest) WHERE tag_count = 0;
            CREATE INDEX images_by_subject ON images (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;
            CREATE TABLE image_tags (
                repository_id INTEGER NOT NULL,
                tag TEXT NOT NULL,
                digest TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, tag),
                FOREIGN KEY (repository_id, digest) REFERENCES images (repository_id, digest) ON DELETE CASCADE
            );
            CREATE INDEX image_tags_by_digest ON image_tags (repository_id, digest);
            CREATE TABLE image_references (
                repository_id INTEGER NOT NULL,
                digest TEXT NOT NULL,
                child_digest TEXT NOT NULL,
                kind INTEGER NOT NULL,
                PRIMARY KEY (repository_id, digest, child_digest, kind),
                FOREIGN KEY (repository_id, digest) REFERENCES images (repository_id, digest) ON DELETE CASCADE
            );
            CREATE INDEX image_references_by_child ON image_references (repository_id, child_digest, kind);
            CREATE INDEX image_references_by_blob ON image_references (child_digest) WHERE kind = 0;
            CREATE TABLE uploads (
                id TEXT PRIMARY KEY,
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                started_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                length INTEGER NOT NULL,
                part_count INTEGER NOT NULL DEFAULT 0,
                last_part_size INTEGER NOT NULL DEFAULT 0,
                small_part_seen INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX uploads_by_age ON uploads (updated_at);
            CREATE TABLE lifecycle_policies (
                repository_id INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
                policy_text TEXT NOT NULL,
                last_evaluated_at INTEGER
            );
            CREATE TABLE lifecycle_previews (
                repository_id INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
                policy_text TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                expiring_count INTEGER NOT NULL DEFAULT 0,
                transitioning_count INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE lifecycle_preview_results (
                repository_id INTEGER NOT NULL REFERENCES lifecycle_previews (repository_id) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                tags TEXT NOT NULL,
                tagged INTEGER NOT NULL,
                pushed_at INTEGER NOT NULL,
                action TEXT NOT NULL,
                target_storage_class TEXT,
                rule_priority INTEGER NOT NULL,
                storage_class TEXT NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            """),
        // Garbage collection's age lives here, not in the bytes store: created_at is the last push (claim), deleting_since
        // marks a blob whose bytes a collector is deleting, and generation tells a recreated record from the one claimed.
        (3, """
            ALTER TABLE blobs ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE blobs ADD COLUMN deleting_since INTEGER;
            CREATE INDEX blobs_deleting ON blobs (digest) WHERE deleting_since IS NOT NULL;
            """),
        // Identities: users with identity policies (text as attached), and keys that act as a user and can be disabled.
        // A key's user_name is null for the account's root; secret_access_key holds the sealed secret from now on.
        (4, """
            CREATE TABLE users (
                account_id TEXT NOT NULL,
                name TEXT NOT NULL,
                arn TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, name)
            );
            CREATE TABLE user_policies (
                account_id TEXT NOT NULL,
                user_name TEXT NOT NULL,
                policy_name TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (account_id, user_name, policy_name),
                FOREIGN KEY (account_id, user_name) REFERENCES users (account_id, name) ON DELETE CASCADE
            );
            ALTER TABLE access_keys ADD COLUMN user_name TEXT;
            ALTER TABLE access_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
            CREATE INDEX access_keys_by_account ON access_keys (account_id, access_key_id);
            CREATE INDEX access_keys_by_user ON access_keys (account_id, user_name) WHERE user_name IS NOT NULL;
            """),
        // Resource policies (text exactly as sent; a repository's goes with it) and account settings, both per registry.
        (5, """
            CREATE TABLE repository_policies (
                repository_id INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
                policy_text TEXT NOT NULL
            );
            CREATE TABLE registry_policies (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                policy_text TEXT NOT NULL,
                PRIMARY KEY (account_id, region)
            );
            CREATE TABLE account_settings (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (account_id, region, name)
            );
            """),
        // Background-job leases: which node runs each job, until when (Unix milliseconds).
        (6, """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """),
        // Pull-time update exclusions: principal ARNs per registry whose pulls leave lastRecordedPullTime alone.
        (7, """
            CREATE TABLE pull_time_exclusions (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                principal_arn TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, principal_arn)
            );
            """),
        // The registry's own keys, sealed with the secrets key: created once, shared by every process on the database.
        (8, """
            CREATE TABLE registry_keys (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        // The outbox (work a write causes, written in its transaction, until a worker has done it) and replication:
        // each registry's configuration and each image's per-destination outcome.
        (9, """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            );
            CREATE INDEX outbox_by_due ON outbox (due_at, id);
            CREATE INDEX outbox_by_subject ON outbox (kind, subject);
            CREATE TABLE replication_configurations (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                configuration TEXT NOT NULL,
                PRIMARY KEY (account_id, region)
            );
            CREATE TABLE replication_statuses (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                repository_name TEXT NOT NULL,
                digest TEXT NOT NULL,
                destination_region TEXT NOT NULL,
                destination_registry TEXT NOT NULL,
                status TEXT NOT NULL,
                failure_code TEXT,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, repository_name, digest, destination_region, destination_registry)
            );
            """),

        // Repository creation templates per registry, keyed by the normalised prefix; texts kept exactly as sent.
        (10, """
            CREATE TABLE repository_creation_templates (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                prefix_key TEXT NOT NULL,
                prefix TEXT NOT NULL,
                description TEXT,
                encryption_type TEXT NOT NULL,
                kms_key TEXT,
                resource_tags TEXT NOT NULL,
                tag_mutability TEXT NOT NULL,
                mutability_filters TEXT NOT NULL,
                repository_policy TEXT,
                lifecycle_policy TEXT,
                applied_for INTEGER NOT NULL,
                custom_role_arn TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, prefix_key)
            );
            """),

        // Pull-through cache rules per registry, when each cached tag was last checked upstream, and the named secrets
        // (sealed) that rules' credential ARNs resolve to.
        (11, """
            CREATE TABLE pull_through_rules (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                ecr_repository_prefix TEXT NOT NULL,
                upstream_registry_url TEXT NOT NULL,
                upstream_registry TEXT NOT NULL,
                credential_arn TEXT,
                custom_role_arn TEXT,
                upstream_repository_prefix TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, ecr_repository_prefix)
            );
            CREATE TABLE pull_through_tag_checks (
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                checked_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, tag)
            );
            CREATE TABLE secrets (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                sealed_value TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, name)
            );
            """),

        // Managed signing: profiles (key sealed with the secrets key), configurations per registry, and one job per
        // pushed image and profile, which DescribeImageSigningStatus reports.
        (12, """
            CREATE TABLE signing_profiles (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                key_algorithm TEXT NOT NULL,
                sealed_key TEXT NOT NULL,
                certificate_chain TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                not_after INTEGER NOT NULL,
                PRIMARY KEY (account_id, region, name)
            );
            CREATE TABLE signing_configurations (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                configuration TEXT NOT NULL,
                PRIMARY KEY (account_id, region)
            );
            CREATE TABLE image_signing_jobs (
                repository_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                profile_arn TEXT NOT NULL,
                status TEXT NOT NULL,
                failure_code TEXT,
                failure_reason TEXT,
                queued_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, digest, profile_arn)
            );
            CREATE INDEX image_signing_jobs_in_progress ON image_signing_jobs (queued_at) WHERE status = 'IN_PROGRESS';
            """),

        // Image scanning: each registry's scanning configuration, each image's latest scan, and the imported OSV database
        // (a version is written beside the current one, then made current in one transaction).
        (13, """
            CREATE TABLE registry_scanning_configurations (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                scan_type TEXT NOT NULL,
                rules TEXT NOT NULL,
                PRIMARY KEY (account_id, region)
            );
            CREATE TABLE image_scans (
                repository_id INTEGER NOT NULL,
                digest TEXT NOT NULL,
                status TEXT NOT NULL,
                description TEXT,
                requested_at INTEGER NOT NULL,
                completed_at INTEGER,
                source_updated_at INTEGER,
                severity_counts TEXT,
                findings TEXT,
                PRIMARY KEY (repository_id, digest),
                FOREIGN KEY (repository_id, digest) REFERENCES images (repository_id, digest) ON DELETE CASCADE
            );
            CREATE INDEX image_scans_queued ON image_scans (requested_at) WHERE status IN ('IN_PROGRESS', 'PENDING');
            CREATE TABLE vulndb_imports (
                version INTEGER PRIMARY KEY,
                imported_at INTEGER NOT NULL,
                source TEXT NOT NULL,
                advisories INTEGER NOT NULL,
                updated_at INTEGER,
                state TEXT NOT NULL,
                rescanned INTEGER NOT NULL
            );
            CREATE TABLE vulndb_advisories (
                version INTEGER NOT NULL,
                id TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (version, id)
            );
            CREATE TABLE vulndb_packages (
                version INTEGER NOT NULL,
                ecosystem TEXT NOT NULL,
                name TEXT NOT NULL,
                advisory_id TEXT NOT NULL,
                PRIMARY KEY (version, ecosystem, name, advisory_id)
            );
            """),

        // Lifecycle preview results packed a few hundred to a row (Storage/Sql/PreviewResultChunk), so a preview of
        // 100,000 images writes and drops hundreds of rows, not 100,000. Previews are short-lived and cheap to run
        // again, so the old ones are dropped rather than converted.
        (14, """
            DROP TABLE lifecycle_preview_results;
            DELETE FROM lifecycle_previews;
            CREATE TABLE lifecycle_preview_chunks (
                repository_id INTEGER NOT NULL REFERENCES lifecycle_previews (repository_id) ON DELETE CASCADE,
                last_digest TEXT NOT NULL,
                tagged INTEGER NOT NULL,
                untagged INTEGER NOT NULL,
                results BLOB NOT NULL,
                PRIMARY KEY (repository_id, last_digest)
            );
            """),
    ];
}
