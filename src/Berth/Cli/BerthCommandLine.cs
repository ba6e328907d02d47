using System.CommandLine;

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
        return root;
    }
}
