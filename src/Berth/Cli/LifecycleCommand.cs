using System.CommandLine;
using Berth.Domain.Lifecycle;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>`berth lifecycle run`: applies lifecycle policies now; safe while a server runs on the same storage.</summary>
public static class LifecycleCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir);
        var repository = new Option<string?>("--repository") { Description = "Only this repository (in every account and region)" };
        var run = new Command("run", "Apply every repository's lifecycle policy now.") { repository };
        settings.AddTo(run);
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var lifecycle = services.GetRequiredService<LifecycleService>();
            foreach (var report in await lifecycle.RunAllAsync(parseResult.GetValue(repository), cancellationToken))
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
