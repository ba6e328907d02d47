using System.CommandLine;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>The `berth` command tree.</summary>
public static class BerthCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Berth: a container registry wire-compatible with Amazon ECR and the OCI Distribution Spec.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(GcCommand.Create());
        root.Subcommands.Add(LifecycleCommand.Create());
        root.Subcommands.Add(VulnDbCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(SecretsCommand.Create());
        root.Subcommands.Add(SigningProfilesCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(SampleImageCommand.Create());
        return root;
    }

    /// <summary>Runs the command line; a full disk is one line on stderr and exit code 1, never a stack trace.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        try
        {
            return await Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (StorageFull.Is(e) || Storage.Sqlite.SpaceReserve.IsOutOfSpace(e))
        {
            await Console.Error.WriteLineAsync("berth: " + StorageFull.Message);
            return 1;
        }
        catch (Exception e)
        {
            // What System.CommandLine's own handler would print, now that it is off so the case above can be caught.
            await Console.Error.WriteLineAsync("Unhandled exception: " + e);
            return 1;
        }
    }
}
