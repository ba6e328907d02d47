using System.CommandLine;
using Berth.Domain.Lifecycle;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>`berth lifecycle run`: applies lifecycle policies now; safe while a server runs on the same storage.</summary>
public static class LifecycleCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
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
            var only = parseResult.GetValue(repository);
            var reports = await lifecycle.RunAllAsync(only, cancellationToken);
            foreach (var report in reports)
            {
                Console.Out.WriteLine($"lifecycle: {report.Repository.AccountId}/{report.Repository.Region}/{report.Repository.Name}: expired {report.Expired}, archived {report.Transitioned}");
            }

            if (reports.Count > 0)
            {
                return 0;
            }

            // Silence would look like success: say that nothing ran, and treat a named repository without a policy as a mistake.
            if (only is not null)
            {
                Console.Error.WriteLine($"berth: no repository named '{only}' has a lifecycle policy");
                return 1;
            }

            Console.Out.WriteLine("lifecycle: no repository has a lifecycle policy");
            return 0;
        });

        var lifecycle = new Command("lifecycle", "Lifecycle policies.");
        lifecycle.Subcommands.Add(run);
        return lifecycle;
    }
}
