using System.CommandLine;
using Berth.Hosting;
using Berth.Storage.Sqlite;

namespace Berth.Cli;

/// <summary>Options shared by every subcommand, and the bridge from parsed options to <see cref="BerthOptions"/>.</summary>
public static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"Folder holding metadata, blobs and keys (default {BerthOptions.DefaultDataDir}; config Berth:DataDir, env BERTH_DATA_DIR)",
    };

    public static Option<string?> AccountId() => new("--account-id")
    {
        Description = $"The default account, 12 digits (default {BerthOptions.DefaultAccountId}; env BERTH_ACCOUNT_ID)",
    };

    /// <summary>
    /// Opens the metadata store of an existing data dir for an admin command, or prints why not and returns
    /// null. SQLite's own locking makes this safe while a server runs on the same data dir.
    /// </summary>
    public static async Task<(SqliteDatabase Database, SqliteMetadataStore Store)?> OpenExistingStoreAsync(BerthOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.DatabasePath))
        {
            Console.Error.WriteLine($"berth: no Berth data in '{options.DataDir}'");
            return null;
        }

        var database = new SqliteDatabase(options.DatabasePath);
        var store = new SqliteMetadataStore(database);
        await store.MigrateAsync(cancellationToken);
        return (database, store);
    }

    /// <summary>Resolves options; on a bad value prints one line and returns null.</summary>
    public static BerthOptions? Resolve(ParseResult parseResult, IEnumerable<Option<string?>> options)
    {
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            given[option.Name.TrimStart('-')] = parseResult.GetValue(option);
        }

        var (resolved, error) = OptionsResolver.Resolve(given, BerthConfiguration.Load());
        if (error is not null)
        {
            Console.Error.WriteLine(error);
        }

        return resolved;
    }
}
