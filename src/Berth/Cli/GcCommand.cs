using System.CommandLine;
using System.Globalization;
using Berth.Domain.Collection;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>`berth gc`: collects unreferenced blobs now; safe while a server runs on the same storage.</summary>
public static class GcCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var grace = new Option<string?>("--grace-period")
        {
            Description = "Keep unreferenced blobs younger than this, so pushes in flight survive (default 1h; e.g. 30m, 2h, 0s)",
        };
        var command = new Command("gc", "Delete blobs that no image references any more.") { grace };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var graceText = parseResult.GetValue(grace);
            var givenGrace = TimeSpan.Zero;
            if (graceText is not null && !DurationParser.TryParse(graceText, out givenGrace))
            {
                Console.Error.WriteLine($"berth: invalid value '{graceText}' for --grace-period: expected a duration such as 30m, 1h or 0s");
                return 2;
            }

            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: true, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            var gracePeriod = graceText is null ? services.GetRequiredService<BerthOptions>().GcGracePeriod : givenGrace;

            var report = await services.GetRequiredService<GarbageCollector>().CollectAsync(gracePeriod, cancellationToken);
            if (report.WasSkipped)
            {
                Console.Error.WriteLine("berth: another garbage collection is running on this data dir; try again later");
                return 1;
            }

            Console.Out.WriteLine($"gc: forgot {report.BlobsForgotten} blobs, deleted {report.FilesDeleted} files, freed {report.BytesFreed} bytes");
            if (report.FilesDeleted == 0 && gracePeriod > TimeSpan.Zero)
            {
                // Right after a lifecycle run or a delete this is the usual surprise: the blobs are there, but too young.
                Console.Out.WriteLine($"gc: blobs unreferenced for less than the grace period ({Describe(gracePeriod)}) are kept; --grace-period 0s collects them now");
            }

            return 0;
        });
        return command;
    }

    private static string Describe(TimeSpan duration) =>
        duration.TotalHours >= 1 && duration.TotalHours % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:0}h")
        : duration.TotalMinutes >= 1 && duration.TotalMinutes % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0}m")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
}
