using System.CommandLine;
using Berth.Domain;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>`berth keys create`: makes an access key for an account in the server's metadata store.</summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.AccountId);
        var create = new Command("create", "Create an access key pair and print it.");
        settings.AddTo(create);
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var options = services.GetRequiredService<BerthOptions>();
            var key = AccessKeyFactory.Create(options.AccountId, services.GetRequiredService<TimeProvider>().GetUtcNow());
            await services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(key, cancellationToken);
            Console.Out.WriteLine(AccessKeyFactory.ConfigureHint(key, options.Region));
            return 0;
        });

        var keys = new Command("keys", "Manage the access keys that sign ECR API requests.");
        keys.Subcommands.Add(create);
        return keys;
    }
}
