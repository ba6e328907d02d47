using System.CommandLine;
using System.Globalization;
using Berth.Domain;
using Berth.Domain.PullThrough;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth secrets put|list|delete`: the upstream credentials pull-through cache rules name by credentialArn, kept in
/// the metadata store sealed with the secrets key (Berth's stand-in for Secrets Manager). Values are never printed.
/// </summary>
public static class SecretsCommand
{
    public static Command Create()
    {
        var secrets = new Command("secrets", "Manage the upstream registry credentials that pull-through cache rules use.");
        secrets.Subcommands.Add(Put());
        secrets.Subcommands.Add(List());
        secrets.Subcommands.Add(Delete());
        return secrets;
    }

    private static Command Put()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId, BerthSettings.Region);
        var name = NameOption();
        var user = new Option<string>("--username") { Description = "The upstream registry user name", Required = true };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password or access token from standard input (required)", Required = true };
        var put = new Command("put", "Create or replace a secret; prints the credentialArn a rule names it by.") { name, user, stdin };
        settings.AddTo(put);
        put.SetAction(async (parseResult, cancellationToken) =>
        {
            var secretName = parseResult.GetValue(name)!;
            if (!UpstreamSecrets.IsValidName(secretName))
            {
                Console.Error.WriteLine($"berth: a secret's name must start with '{UpstreamSecrets.NamePrefix}' and use only letters, digits and /_+=.@-");
                return 2;
            }

            var password = (await Console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
            if (password.Length == 0)
            {
                Console.Error.WriteLine("berth: no password on standard input");
                return 2;
            }

            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var registry = RegistryOf(services);
            var created = await services.GetRequiredService<UpstreamSecrets>().PutAsync(
                registry, secretName, new UpstreamCredential(parseResult.GetValue(user)!, password), cancellationToken);
            Console.Out.WriteLine($"Secret {secretName} {(created ? "created" : "replaced")}: {UpstreamSecrets.ArnOf(registry, secretName)}");
            return 0;
        });
        return put;
    }

    private static Command List()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var list = new Command("list", "List secrets: ARN, creation and update times (never the values).");
        settings.AddTo(list);
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            Console.Out.WriteLine("CREDENTIAL_ARN\tCREATED\tUPDATED");
            foreach (var secret in await services.GetRequiredService<UpstreamSecrets>().ListAsync(null, cancellationToken))
            {
                Console.Out.WriteLine(string.Join('\t', UpstreamSecrets.ArnOf(secret.Registry, secret.Name), Time(secret.CreatedAt), Time(secret.UpdatedAt)));
            }

            return 0;
        });
        return list;
    }

    private static Command Delete()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath, BerthSettings.AccountId, BerthSettings.Region);
        var name = NameOption();
        var delete = new Command("delete", "Delete a secret: rules naming it can no longer reach their upstream.") { name };
        settings.AddTo(delete);
        delete.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var secretName = parseResult.GetValue(name)!;
            if (!await services.GetRequiredService<UpstreamSecrets>().DeleteAsync(RegistryOf(services), secretName, cancellationToken))
            {
                Console.Error.WriteLine($"berth: no secret '{secretName}'");
                return 1;
            }

            Console.Out.WriteLine($"Secret {secretName} deleted.");
            return 0;
        });
        return delete;
    }

    private static RegistryScope RegistryOf(IServiceProvider services)
    {
        var options = services.GetRequiredService<BerthOptions>();
        return new RegistryScope(options.AccountId, options.Region);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static Option<string> NameOption() => new("--name") { Description = "The secret's name, ecr-pullthroughcache/...", Required = true };
}
