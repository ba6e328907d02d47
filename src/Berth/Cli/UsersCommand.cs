using System.CommandLine;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth users create|list|delete|attach-policy|detach-policy`: the named users of an account and their identity
/// policies, in the server's metadata store; safe while a server runs.
/// </summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var users = new Command("users", "Manage users (principals other than an account's root) and their identity policies.");
        users.Subcommands.Add(CreateUser());
        users.Subcommands.Add(List());
        users.Subcommands.Add(Delete());
        users.Subcommands.Add(AttachPolicy());
        users.Subcommands.Add(DetachPolicy());
        return users;
    }

    private static Command CreateUser()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId);
        var name = NameOption();
        var command = new Command("create", "Create a user in an account and print its ARN.") { name };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var userName = parseResult.GetValue(name)!;
            if (!User.IsValidName(userName))
            {
                Console.Error.WriteLine($"berth: invalid user name '{userName}': 1 to 64 letters, digits and +=,.@_-");
                return 2;
            }

            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var account = services.GetRequiredService<BerthOptions>().AccountId;
            var user = User.Create(account, userName, services.GetRequiredService<TimeProvider>().GetUtcNow());
            var users = services.GetRequiredService<IMetadataStore>().Users;
            if (!await users.CreateAsync(user, cancellationToken))
            {
                // Names compare case-insensitively, as IAM's do (EntityAlreadyExists): name the one that is there.
                var existing = (await users.FindAsync(account, userName, cancellationToken))?.Name ?? userName;
                Console.Error.WriteLine($"berth: account {account} already has a user '{existing}' (user names are case-insensitive)");
                return 1;
            }

            Console.Out.WriteLine(user.Arn);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var account = new Option<string?>("--account-id") { Description = "List only this account's users (default: every account)" };
        var command = new Command("list", "List users: ARN, creation time and attached policy names.") { account };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var store = services.GetRequiredService<IMetadataStore>().Users;
            Console.Out.WriteLine("ARN\tCREATED\tPOLICIES");
            foreach (var user in await store.ListAsync(parseResult.GetValue(account), cancellationToken))
            {
                var policies = await store.ListPoliciesAsync(user.AccountId, user.Name, cancellationToken);
                Console.Out.WriteLine(string.Join('\t', user.Arn,
                    user.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    string.Join(',', policies.Select(policy => policy.PolicyName))));
            }

            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId);
        var name = NameOption();
        var command = new Command("delete", "Delete a user with its policies and its access keys.") { name };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var (account, userName) = (services.GetRequiredService<BerthOptions>().AccountId, parseResult.GetValue(name)!);
            if (!await services.GetRequiredService<IMetadataStore>().Users.DeleteAsync(account, userName, cancellationToken))
            {
                Console.Error.WriteLine($"berth: account {account} has no user '{userName}'");
                return 1;
            }

            Console.Out.WriteLine($"User {userName} of account {account} deleted, with its policies and access keys.");
            return 0;
        });
        return command;
    }

    private static Command AttachPolicy()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId);
        var name = NameOption();
        var policyName = PolicyNameOption();
        var file = new Option<FileInfo>("--policy-file") { Description = "The IAM policy JSON to attach", Required = true };
        var command = new Command("attach-policy", "Attach an identity policy to a user (replacing one of the same name).") { name, policyName, file };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"berth: cannot read '{path}': {e.Message}");
                return 2;
            }

            if (IdentityPolicyText.Problem(text) is { } problem)
            {
                Console.Error.WriteLine($"berth: {path}: {problem}");
                return 2;
            }

            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var (account, userName, policy) = (services.GetRequiredService<BerthOptions>().AccountId, parseResult.GetValue(name)!, parseResult.GetValue(policyName)!);
            if (!await services.GetRequiredService<IMetadataStore>().Users.PutPolicyAsync(account, userName, new UserPolicy(policy, text), cancellationToken))
            {
                Console.Error.WriteLine($"berth: account {account} has no user '{userName}'");
                return 1;
            }

            Console.Out.WriteLine($"Policy {policy} attached to user {userName} of account {account}.");
            return 0;
        });
        return command;
    }

    private static Command DetachPolicy()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId);
        var name = NameOption();
        var policyName = PolicyNameOption();
        var command = new Command("detach-policy", "Detach an identity policy from a user.") { name, policyName };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var (account, userName, policy) = (services.GetRequiredService<BerthOptions>().AccountId, parseResult.GetValue(name)!, parseResult.GetValue(policyName)!);
            if (!await services.GetRequiredService<IMetadataStore>().Users.DeletePolicyAsync(account, userName, policy, cancellationToken))
            {
                Console.Error.WriteLine($"berth: user '{userName}' of account {account} has no policy '{policy}'");
                return 1;
            }

            Console.Out.WriteLine($"Policy {policy} detached from user {userName} of account {account}.");
            return 0;
        });
        return command;
    }

    private static Option<string> NameOption() => new("--name") { Description = "The user's name", Required = true };

    private static Option<string> PolicyNameOption() => new("--policy-name") { Description = "The policy's name on the user", Required = true };
}
