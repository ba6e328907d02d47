using Berth.Domain;
using static Berth.Storage.Postgres.PgSql;

namespace Berth.Storage.Postgres;

/// <summary>Repository and registry policies and account settings in PostgreSQL.</summary>
internal sealed class PostgresPolicyStore(PostgresDatabase database) : IPolicyStore
{
    private const string RepositoryId = "(SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name)";

    public Task<string?> GetRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = Command(connection, null, $"SELECT policy_text FROM repository_policies WHERE repository_id = {RepositoryId}");
            AddKey(command, repository);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<bool> SetRepositoryPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            if (FindRepositoryId(connection, transaction, repository) is not { } id)
            {
                return false;
            }

            NonQuery(connection, transaction, """
                INSERT INTO repository_policies (repository_id, policy_text) VALUES ($p0, $p1)
                ON CONFLICT (repository_id) DO UPDATE SET policy_text = excluded.policy_text
                """, id, policyText);
            return true;
        }, cancellationToken);

    public Task<string?> DeleteRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"DELETE FROM repository_policies WHERE repository_id = {RepositoryId} RETURNING policy_text");
            AddKey(command, repository);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<string?> GetRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = Command(connection, null,
                "SELECT policy_text FROM registry_policies WHERE account_id = $p0 AND region = $p1", registry.AccountId, registry.Region);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task PutRegistryPolicyAsync(RegistryScope registry, string policyText, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            NonQuery(connection, transaction, """
                INSERT INTO registry_policies (account_id, region, policy_text) VALUES ($p0, $p1, $p2)
                ON CONFLICT (account_id, region) DO UPDATE SET policy_text = excluded.policy_text
                """, registry.AccountId, registry.Region, policyText),
            cancellationToken);

    public Task<string?> DeleteRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "DELETE FROM registry_policies WHERE account_id = $p0 AND region = $p1 RETURNING policy_text", registry.AccountId, registry.Region);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<string?> GetAccountSettingAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = Command(connection, null,
                "SELECT value FROM account_settings WHERE account_id = $p0 AND region = $p1 AND name = $p2", registry.AccountId, registry.Region, name);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task PutAccountSettingAsync(RegistryScope registry, string name, string value, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            NonQuery(connection, transaction, """
                INSERT INTO account_settings (account_id, region, name, value) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, region, name) DO UPDATE SET value = excluded.value
                """, registry.AccountId, registry.Region, name, value),
            cancellationToken);
}
