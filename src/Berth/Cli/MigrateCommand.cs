using System.CommandLine;
using System.Globalization;
using Amazon.Runtime;
using Berth.Hosting;
using Berth.Hosting.Composition;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Berth.Cli;

/// <summary>
/// `berth migrate`: moves a single-node registry (the data dir's SQLite database and blob files) to PostgreSQL and S3.
/// The target is configured exactly as `serve` will be (<c>Berth:Storage:...</c>, <c>BERTH_STORAGE__...</c>); the
/// source is the same configuration with the default backends, so both come from the one composition path.
/// </summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var settings = new SettingFlags(BerthSettings.DataDir, BerthSettings.SecretsKeyPath);
        var command = new Command("migrate",
            "Move the registry in the data dir (SQLite + files) to the PostgreSQL database and S3 bucket configured in Berth:Storage, as serve reads them. "
            + "The database must be empty; an interrupted run can be started again.");
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await RunAsync(settings.Load(parseResult), cancellationToken);
            }
            catch (MigrationRefusedException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"berth: the target database failed: {e.Message}; nothing was written to it");
                return 1;
            }
            catch (AmazonServiceException e)
            {
                Console.Error.WriteLine($"berth: the target bucket failed: {e.Message}; nothing was written to the database, and running migrate again resumes the blob copy");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(IConfigurationRoot configuration, CancellationToken cancellationToken)
    {
        var storage = new StorageOptions();
        StorageOptions.Bind(configuration, storage);
        if (!IsType(storage.Metadata, PostgresMetadataBackend.Type) || !IsType(storage.Blobs, S3BlobBackend.Type))
        {
            Console.Error.WriteLine("berth: migrate moves a registry to PostgreSQL and S3: configure the target as serve will run on it "
                + "(BERTH_STORAGE__METADATA__TYPE=postgres and BERTH_STORAGE__BLOBS__TYPE=s3 with their settings; see the README, section 'Running several nodes')");
            return 2;
        }

        // The source: the same settings (data dir, SQLite path, blob path, secrets key) on the single-node backends.
        var sourceConfiguration = new ConfigurationBuilder()
            .AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{StorageOptions.SectionName}:Metadata:Type"] = SqliteMetadataBackend.Type,
                [$"{StorageOptions.SectionName}:Blobs:Type"] = FileSystemBlobBackend.Type,
            })
            .Build();
        await using var source = await AdminServices.OpenAsync(sourceConfiguration, existingOnly: true, cancellationToken);
        if (source is null)
        {
            return 2;
        }

        var options = source.GetRequiredService<BerthOptions>();
        ServeLock serveLock;
        try
        {
            serveLock = ServeLock.Acquire(options.DataDir);
        }
        catch (DataDirectoryInUseException)
        {
            Console.Error.WriteLine($"berth: a berth server is serving the data dir {Path.GetFullPath(options.DataDir)}; stop it before migrating (migrate moves a registry nobody is writing to)");
            return 2;
        }

        using (serveLock)
        {
            await using var target = await AdminServices.OpenAsync(configuration, existingOnly: false, cancellationToken);
            if (target is null)
            {
                return 2;
            }

            var sqlitePath = source.GetRequiredService<IOptions<SqliteOptions>>().Value.Path!;
            var postgres = target.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString!;
            var s3 = target.GetRequiredService<IOptions<S3BlobOptions>>().Value;
            var targetName = target.GetRequiredService<IMetadataPresence>().Location;
            Console.Out.WriteLine($"migrate: from {sqlitePath} and the blobs beside it to {targetName} and s3://{s3.Bucket}/{s3.NormalizedPrefix}");

            var report = await RegistryMigration.RunAsync(source, target, cancellationToken);
            Print(report, options, postgres, s3);
            return 0;
        }
    }

    private static void Print(MigrationReport report, BerthOptions options, string postgres, S3BlobOptions s3)
    {
        var output = Console.Out;
        var total = report.Tables.Sum(table => table.Rows);
        output.WriteLine($"migrate: copied {total} rows: {string.Join(", ", report.Tables.Select(table => $"{table.Table} {table.Rows}"))}");
        var blobs = report.Blobs;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"migrate: blobs: {blobs.Copied} copied ({blobs.CopiedBytes} bytes, each verified against its digest), {blobs.AlreadyThere} already in the bucket, {blobs.WithoutBytes} records without bytes (claims or collections cut short; kept as records)"));
        foreach (var (table, rows, why) in report.LeftBehind)
        {
            output.WriteLine($"migrate: not moved: {rows} rows of {table}: {why}");
        }

        output.WriteLine($"migrate: access keys and the registry's signing key stay sealed: every node needs the secrets key {Path.GetFullPath(options.SecretsKeyPath)} "
            + "(point --secrets-key-path at a copy, or give its base64 in BERTH_SECRETS_KEY); tokens the old registry issued stay valid");
        output.WriteLine("migrate: serve every node with this storage configuration (environment variables; the same Berth:Storage keys in appsettings.json work too):");
        foreach (var line in ServeConfiguration(postgres, s3))
        {
            output.WriteLine("  " + line);
        }
    }

    /// <summary>The settings `serve` needs to run on the target, as environment variables; a password is never printed.</summary>
    private static IEnumerable<string> ServeConfiguration(string postgres, S3BlobOptions s3)
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres);
        var hidden = connection.Password is { Length: > 0 };
        connection.Password = null;
        yield return $"BERTH_STORAGE__METADATA__TYPE={PostgresMetadataBackend.Type}";
        yield return $"BERTH_STORAGE__METADATA__POSTGRES__CONNECTION_STRING='{connection.ConnectionString}{(hidden ? ";Password=<not shown>" : string.Empty)}'";
        yield return $"BERTH_STORAGE__BLOBS__TYPE={S3BlobBackend.Type}";
        foreach (var (name, value) in new[]
        {
            ("SERVICE_URL", s3.ServiceUrl), ("BUCKET", s3.Bucket), ("REGION", s3.Region), ("FORCE_PATH_STYLE", s3.ForcePathStyle),
            ("PREFIX", s3.Prefix), ("REDIRECT", s3.Redirect),
        })
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return $"BERTH_STORAGE__BLOBS__S3__{name}={value}";
            }
        }
    }

    private static bool IsType(StorageSelection selection, string type) => string.Equals(selection.Type, type, StringComparison.OrdinalIgnoreCase);
}
