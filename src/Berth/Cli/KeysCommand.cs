using System.CommandLine;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth keys create|list|disable|enable|delete`: access keys in the server's metadata store, safe while a server runs
/// (a server refuses a disabled or deleted key within a second). Secrets are printed once, at creation, and never listed.
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var keys = new Command("keys", "Manage the access keys that sign ECR API requests.");
        keys.Subcommands.Add(CreateKey());
        keys.Subcommands.Add(List());
        keys.Subcommands.Add(SetStatus("disable", "Make an access key inactive: requests signed with it, and registry tokens it obtained, are refused.", AccessKeyStatus.Inactive));
        keys.Subcommands.Add(SetStatus("enable", "Make an inactive access key active again.", AccessKeyStatus.Active));
        keys.Subcommands.Add(Delete());
        return keys;
    }

    private static Command CreateKey()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId);
        var user = new Option<string?>("--user") { Description = "The user the key acts as (default: the account's root)" };
        var create = new Command("create", "Create an access key pair and print it.") { user };
        settings.AddTo(create);
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var options = services.GetRequiredService<BerthOptions>();
            var key = AccessKeyFactory.Create(options.AccountId, services.GetRequiredService<TimeProvider>().GetUtcNow()) with
            {
                UserName = parseResult.GetValue(user),
            };
            if (!await services.GetRequiredService<AccessKeyService>().AddAsync(key, cancellationToken))
            {
                Console.Error.WriteLine($"berth: account {key.AccountId} has no user '{key.UserName}'");
                return 1;
            }

            Console.Out.WriteLine(AccessKeyFactory.ConfigureHint(key, options.Region));
            return 0;
        });
        return create;
    }

    private static Command List()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var account = new Option<string?>("--account-id") { Description = "List only this account's keys (default: every account)" };
        var list = new Command("list", "List access keys: id, account, principal, status, creation time (never the secret).") { account };
        settings.AddTo(list);
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var found = await services.GetRequiredService<IMetadataStore>().AccessKeys.ListAsync(parseResult.GetValue(account), cancellationToken);
            Console.Out.WriteLine("ACCESS_KEY_ID\tACCOUNT\tPRINCIPAL\tSTATUS\tCREATED");
            foreach (var key in found)
            {
                var principal = key.UserName is { } name ? "user/" + name : "root";
                Console.Out.WriteLine(string.Join('\t', key.AccessKeyId, key.AccountId, principal, key.Status,
                    key.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
            }

            return 0;
        });
        return list;
    }

    private static Command SetStatus(string name, string description, AccessKeyStatus status) =>
        OnOneKey(name, description, (keys, id, ct) => keys.SetStatusAsync(id, status, ct), $"is {status}");

    private static Command Delete() => OnOneKey(
        "delete",
        "Delete an access key: requests signed with it, and registry tokens it obtained, are refused.",
        (keys, id, ct) => keys.DeleteAsync(id, ct),
        "deleted");

    /// <summary>A command that changes one access key named by --access-key-id; 1 when there is no such key.</summary>
    private static Command OnOneKey(string name, string description, Func<IAccessKeyStore, string, CancellationToken, Task<bool>> change, string done)
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var id = KeyIdOption();
        var command = new Command(name, description) { id };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var accessKeyId = parseResult.GetValue(id)!;
            if (!await change(services.GetRequiredService<IMetadataStore>().AccessKeys, accessKeyId, cancellationToken))
            {
                Console.Error.WriteLine($"berth: no access key '{accessKeyId}'");
                return 1;
            }

            Console.Out.WriteLine($"Access key {accessKeyId} {done}.");
            return 0;
        });
        return command;
    }

    private static Option<string> KeyIdOption() => new("--access-key-id") { Description = "The access key's id", Required = true };
}
