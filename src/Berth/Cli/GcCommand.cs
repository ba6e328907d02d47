using System.CommandLine;
using Berth.Domain.Collection;
using Berth.Hosting;
using Berth.Storage.FileSystem;

namespace Berth.Cli;

/// <summary>`berth gc`: collects unreferenced blobs now; safe while a server runs on the same data dir.</summary>
public static class GcCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var grace = new Option<string?>("--grace-period")
        {
            Description = "Keep unreferenced blobs younger than this, so pushes in flight survive (default 1h; e.g. 30m, 2h, 0s)",
        };
        var command = new Command("gc", "Delete blobs that no image references any more.") { dataDir, grace };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var resolved = CommonOptions.Resolve(parseResult, [dataDir]);
            if (resolved is null)
            {
                return 2;
            }

            var graceText = parseResult.GetValue(grace);
            var gracePeriod = resolved.GcGracePeriod;
            if (graceText is not null && !DurationParser.TryParse(graceText, out gracePeriod))
            {
                Console.Error.WriteLine($"berth: invalid value '{graceText}' for --grace-period: expected a duration such as 30m, 1h or 0s");
                return 2;
            }

            if (await CommonOptions.OpenExistingStoreAsync(resolved, cancellationToken) is not var (database, store))
            {
                return 2;
            }

            await using var _ = database;
            using var blobs = new FileSystemBlobStore(resolved.DataDir, TimeProvider.System);
            var report = await new GarbageCollector(store, blobs, TimeProvider.System).CollectAsync(gracePeriod, cancellationToken);
            if (report.WasSkipped)
            {
                Console.Error.WriteLine("berth: another garbage collection is running on this data dir; try again later");
                return 1;
            }

            Console.Out.WriteLine($"gc: forgot {report.BlobsForgotten} blobs, deleted {report.FilesDeleted} files, freed {report.BytesFreed} bytes");
            return 0;
        });
        return command;
    }
}
