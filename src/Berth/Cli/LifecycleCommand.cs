using System.CommandLine;
using Berth.Domain.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cli;

/// <summary>`berth lifecycle run`: applies lifecycle policies now; safe while a server runs on the same data dir.</summary>
public static class LifecycleCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var repository = new Option<string?>("--repository") { Description = "Only this repository (in every account and region)" };
        var run = new Command("run", "Apply every repository's lifecycle policy now.") { dataDir, repository };
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            var resolved = CommonOptions.Resolve(parseResult, [dataDir]);
            if (resolved is null)
            {
                return 2;
            }

            if (await CommonOptions.OpenExistingStoreAsync(resolved, cancellationToken) is not var (database, store))
            {
                return 2;
            }

            await using var _ = database;
            var service = new LifecycleService(store, TimeProvider.System, NullLogger<LifecycleService>.Instance);
            foreach (var report in await service.RunAllAsync(parseResult.GetValue(repository), cancellationToken))
            {
                Console.Out.WriteLine($"lifecycle: {report.Repository.AccountId}/{report.Repository.Region}/{report.Repository.Name}: expired {report.Expired}, archived {report.Transitioned}");
            }

            return 0;
        });

        var lifecycle = new Command("lifecycle", "Lifecycle policies.");
        lifecycle.Subcommands.Add(run);
        return lifecycle;
    }
}
