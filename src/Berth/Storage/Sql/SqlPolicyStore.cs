using Berth.Domain;

namespace Berth.Storage.Sql;

/// <summary>Repository and registry policies and account settings.</summary>
internal sealed class SqlPolicyStore(ISqlDatabase database) : IPolicyStore
{
    private const string RepositoryId = "(SELECT id FROM repositories WHERE account_id = $account AND region = $region AND name = $name)";

    public Task<string?> GetRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command($"SELECT policy_text FROM repository_policies WHERE repository_id = {RepositoryId}");
            db.AddKey(command, repository);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<bool> SetRepositoryPolicyAsync(RepositoryKey repository, string policyText, CancellationToken cancellationToken) =>
        database.WriteAsync(db => db.PutPolicyText("repository_policies", repository, policyText), cancellationToken);

    public Task<string?> DeleteRepositoryPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command($"DELETE FROM repository_policies WHERE repository_id = {RepositoryId} RETURNING policy_text");
            db.AddKey(command, repository);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<string?> GetRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command(
                "SELECT policy_text FROM registry_policies WHERE account_id = $p0 AND region = $p1", registry.AccountId, registry.Region);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task PutRegistryPolicyAsync(RegistryScope registry, string policyText, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
            db.NonQuery("""
                INSERT INTO registry_policies (account_id, region, policy_text) VALUES ($p0, $p1, $p2)
                ON CONFLICT (account_id, region) DO UPDATE SET policy_text = excluded.policy_text
                """, registry.AccountId, registry.Region, policyText),
            cancellationToken);

    public Task<string?> DeleteRegistryPolicyAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
        {
            using var command = db.Command(
                "DELETE FROM registry_policies WHERE account_id = $p0 AND region = $p1 RETURNING policy_text", registry.AccountId, registry.Region);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<string?> GetAccountSettingAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(db =>
        {
            using var command = db.Command(
                "SELECT value FROM account_settings WHERE account_id = $p0 AND region = $p1 AND name = $p2", registry.AccountId, registry.Region, name);
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task PutAccountSettingAsync(RegistryScope registry, string name, string value, CancellationToken cancellationToken) =>
        database.WriteAsync(db =>
            db.NonQuery("""
                INSERT INTO account_settings (account_id, region, name, value) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (account_id, region, name) DO UPDATE SET value = excluded.value
                """, registry.AccountId, registry.Region, name, value),
            cancellationToken);
}
