using System.CommandLine;
using Berth.Hosting;
using Berth.Storage.Sqlite;

namespace Berth.Cli;

/// <summary>`berth keys create`: makes an access key for an account in a data dir.</summary>
public static class KeysCommand
{
    public static Command Create()
    {
        Option<string?>[] options = [CommonOptions.DataDir(), CommonOptions.AccountId()];
        var create = new Command("create", "Create an access key pair and print it.");
        foreach (var option in options)
        {
            create.Options.Add(option);
        }

        create.SetAction(async (parseResult, cancellationToken) =>
        {
            var resolved = CommonOptions.Resolve(parseResult, options);
            if (resolved is null)
            {
                return 2;
            }

            DataDirectory.Ensure(resolved.DataDir);
            await using var database = new SqliteDatabase(resolved.DatabasePath);
            var store = new SqliteMetadataStore(database);
            await store.MigrateAsync(cancellationToken);
            var key = AccessKeyFactory.Create(resolved.AccountId, DateTimeOffset.UtcNow);
            await store.AccessKeys.AddAsync(key, cancellationToken);
            Console.Out.WriteLine(AccessKeyFactory.ConfigureHint(key, resolved.Region));
            return 0;
        });

        var keys = new Command("keys", "Manage the access keys that sign ECR API requests.");
        keys.Subcommands.Add(create);
        return keys;
    }
}
