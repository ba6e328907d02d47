using System.CommandLine;
using Berth.Domain.Scanning;
using Berth.Hosting;

namespace Berth.Cli;

/// <summary>
/// `berth vulndb import FILE.zip|DIR`: imports an OSV vulnerability database for image scanning; safe while a server
/// runs on the same storage (the new version becomes current in one transaction).
/// </summary>
public static class VulnDbCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var source = new Argument<string>("source") { Description = "An OSV zip (one advisory per .json entry) or a directory of OSV .json files" };
        var import = new Command("import", "Import an OSV vulnerability database, replacing the current one.") { source };
        settings.AddTo(import);
        import.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(source)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                Console.Error.WriteLine($"berth: no file or directory at {path}");
                return 1;
            }

            await using var services = await AdminServices.OpenAsync(settings.Load(parseResult), existingOnly: false, cancellationToken);
            if (services is null)
            {
                return 2;
            }

            try
            {
                var summary = await services.GetRequiredService<VulnerabilityDatabaseImporter>().ImportAsync(path, cancellationToken);
                var updated = summary.UpdatedAt is { } at ? at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "unknown";
                Console.Out.WriteLine($"vulndb: imported version {summary.Version}: {summary.Advisories} advisories ({summary.Skipped} files skipped), newest advisory {updated}");
                return 0;
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"berth: {path}: {e.Message}");
                return 1;
            }
        });

        var vulndb = new Command("vulndb", "The vulnerability database image scans match against.");
        vulndb.Subcommands.Add(import);
        return vulndb;
    }
}
