using Berth.Hosting;
using Berth.Hosting.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Hosting;

/// <summary>Settings from the command line, BERTH_* variables and appsettings.json, bound and validated by the composition every command uses.</summary>
public sealed class ConfigurationTests
{
    /// <summary>Composes Berth's services as every command does and validates them; returns the error line or the provider.</summary>
    internal static (ServiceProvider? Services, string? Error) Compose(
        Dictionary<string, string?>? commandLine = null,
        Dictionary<string, string?>? environment = null,
        string? appsettings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "berth-config-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            if (appsettings is not null)
            {
                File.WriteAllText(Path.Combine(directory, "appsettings.json"), appsettings);
            }

            var configuration = BerthConfiguration.Load(directory, environment ?? [], commandLine);
            var services = new ServiceCollection().AddLogging().AddBerth(configuration).BuildServiceProvider();
            if (BerthServices.ValidateOptions(services) is { } error)
            {
                services.Dispose();
                return (null, error);
            }

            return (services, null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static BerthOptions Options(Dictionary<string, string?>? commandLine = null, Dictionary<string, string?>? environment = null, string? appsettings = null)
    {
        var (services, error) = Compose(commandLine, environment, appsettings);
        Assert.Null(error);
        using (services)
        {
            return services!.GetRequiredService<BerthOptions>();
        }
    }

    internal static string Error(Dictionary<string, string?>? commandLine = null, Dictionary<string, string?>? environment = null, string? appsettings = null)
    {
        var (services, error) = Compose(commandLine, environment, appsettings);
        services?.Dispose();
        Assert.NotNull(error);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Options();

        Assert.Equal("http://127.0.0.1:5000", options.Listen);
        Assert.Equal("./berth-data", options.DataDir);
        Assert.Equal("us-east-1", options.Region);
        Assert.Equal("000000000000", options.AccountId);
        Assert.Equal(AuthMode.SigV4, options.Auth);
        Assert.Equal("http://127.0.0.1:5000", options.PublicUrl);
        Assert.Equal(TimeSpan.FromHours(24), options.LifecycleInterval);
        Assert.Equal(TimeSpan.FromHours(24), options.LifecyclePreviewLifetime);
        Assert.Equal(TimeSpan.FromHours(1), options.GcInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.GcGracePeriod);
        Assert.Equal(TimeSpan.FromHours(24), options.UploadMaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), options.JobLeaseTtl);
    }

    [Theory]
    [InlineData("Berth:Listen", "ftp://x:1", "--listen")]
    [InlineData("Berth:Listen", "not a url", "--listen")]
    [InlineData("Berth:DataDir", "a\0b", "--data-dir")]
    [InlineData("Berth:Region", "Mars-1", "--region")]
    [InlineData("Berth:AccountId", "12345", "--account-id")]
    [InlineData("Berth:AccountId", "12345678901a", "--account-id")]
    [InlineData("Berth:Auth", "basic", "--auth")]
    [InlineData("Berth:PublicUrl", "http://host/with/path", "--public-url")]
    [InlineData("Berth:LifecycleInterval", "soon", "--lifecycle-interval")]
    [InlineData("Berth:LifecyclePreviewLifetime", "0s", "--lifecycle-preview-lifetime")]
    [InlineData("Berth:GcInterval", "0s", "--gc-interval")]
    [InlineData("Berth:GcGracePeriod", "-1h", "--gc-grace-period")]
    [InlineData("Berth:GcGracePeriod", "60", "--gc-grace-period")]
    [InlineData("Berth:UploadMaxAge", "later", "--upload-max-age")]
    [InlineData("Berth:JobLeaseTtl", "500ms", "--job-lease-ttl")]
    [InlineData("Berth:JobLeaseTtl", "0.5s", "--job-lease-ttl")]
    [InlineData("Berth:JobLeaseTtl", "30", "--job-lease-ttl")]
    public void A_bad_value_yields_one_line_naming_the_option(string key, string value, string named)
    {
        var error = Error(new Dictionary<string, string?> { [key] = value });

        Assert.StartsWith($"berth: invalid value '{value}' for {named}: expected ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_wins_over_the_environment_which_wins_over_appsettings_which_wins_over_defaults()
    {
        var options = Options(
            new Dictionary<string, string?> { ["Berth:Region"] = "eu-west-1" },
            new Dictionary<string, string?> { ["BERTH_REGION"] = "ap-south-1", ["BERTH_ACCOUNT_ID"] = "111122223333" },
            """{ "Berth": { "Region": "sa-east-1", "AccountId": "999999999999", "GcGracePeriod": "0s" } }""");

        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal("111122223333", options.AccountId);
        Assert.Equal(TimeSpan.Zero, options.GcGracePeriod);
    }

    [Fact]
    public void The_documented_flat_environment_names_still_work()
    {
        var options = Options(environment: new Dictionary<string, string?>
        {
            ["BERTH_DATA_DIR"] = "/srv/berth",
            ["BERTH_AUTH"] = "none",
            ["BERTH_LISTEN"] = "http://0.0.0.0:8080",
            ["BERTH_PUBLIC_URL"] = "https://registry.example.com/",
            ["BERTH_GC_GRACE_PERIOD"] = "30m",
            ["BERTH_LIFECYCLE_PREVIEW_LIFETIME"] = "2h",
            ["BERTH_JOB_LEASE_TTL"] = "20s",
            ["OTHER"] = "x",
        });

        Assert.Equal("/srv/berth", options.DataDir);
        Assert.Equal(AuthMode.None, options.Auth);
        Assert.Equal("http://0.0.0.0:8080", options.Listen);
        Assert.Equal("https://registry.example.com", options.PublicUrl);
        Assert.Equal(TimeSpan.FromMinutes(30), options.GcGracePeriod);
        Assert.Equal(TimeSpan.FromHours(2), options.LifecyclePreviewLifetime);
        Assert.Equal(TimeSpan.FromSeconds(20), options.JobLeaseTtl);
        Assert.Equal("/srv/other", Options(environment: new() { ["BERTH_DATADIR"] = "/srv/other" }).DataDir);
    }

    [Theory]
    [InlineData("BERTH_DATA_DIR", "Berth:DataDir")]
    [InlineData("BERTH_DATADIR", "Berth:DataDir")]
    [InlineData("BERTH_STORAGE__METADATA__TYPE", "Berth:Storage:Metadata:Type")]
    [InlineData("BERTH_STORAGE__BLOBS__FILE_SYSTEM__PATH", "Berth:Storage:Blobs:FileSystem:Path")]
    [InlineData("berth_storage__metadata__sqlite__path", "Berth:storage:metadata:sqlite:path")]
    [InlineData("BERTH_", null)]
    [InlineData("PATH", null)]
    public void Environment_names_map_to_configuration_keys(string variable, string? key) =>
        Assert.Equal(key, BerthConfiguration.ToKey(variable), StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Storage_defaults_to_sqlite_and_files_under_the_data_dir()
    {
        var (services, _) = Compose(new Dictionary<string, string?> { ["Berth:DataDir"] = "/srv/berth" });
        using (services)
        {
            Assert.NotNull(services);
            Assert.Equal("sqlite", services.GetRequiredService<IOptions<StorageOptions>>().Value.Metadata.Type);
            Assert.Equal("filesystem", services.GetRequiredService<IOptions<StorageOptions>>().Value.Blobs.Type);
            Assert.Equal(Path.Combine("/srv/berth", "berth.db"), services.GetRequiredService<IOptions<SqliteOptions>>().Value.Path);
            Assert.Equal("/srv/berth", services.GetRequiredService<IOptions<FileSystemBlobOptions>>().Value.Path);
        }
    }

    [Fact]
    public void Nested_environment_names_set_the_storage_sections()
    {
        var (services, error) = Compose(environment: new Dictionary<string, string?>
        {
            ["BERTH_STORAGE__METADATA__TYPE"] = "SQLite",
            ["BERTH_STORAGE__METADATA__SQLITE__PATH"] = "/var/lib/berth/meta.db",
            ["BERTH_STORAGE__BLOBS__TYPE"] = "filesystem",
            ["BERTH_STORAGE__BLOBS__FILE_SYSTEM__PATH"] = "/mnt/blobs",
        });

        Assert.Null(error);
        using (services)
        {
            Assert.NotNull(services);
            Assert.Equal("/var/lib/berth/meta.db", services.GetRequiredService<IOptions<SqliteOptions>>().Value.Path);
            Assert.Equal("/mnt/blobs", services.GetRequiredService<IOptions<FileSystemBlobOptions>>().Value.Path);
        }
    }

    [Fact]
    public void An_unsupported_metadata_type_from_a_nested_environment_name_is_one_line_listing_the_supported_ones()
    {
        var error = Error(environment: new Dictionary<string, string?> { ["BERTH_STORAGE__METADATA__TYPE"] = "mysql" });

        Assert.Equal("berth: invalid value 'mysql' for Berth:Storage:Metadata:Type: not supported (supported: sqlite, postgres)", error);
    }

    [Fact]
    public void The_postgres_metadata_type_takes_its_connection_string_from_nested_environment_names()
    {
        var (services, error) = Compose(environment: new Dictionary<string, string?>
        {
            ["BERTH_STORAGE__METADATA__TYPE"] = "postgres",
            ["BERTH_STORAGE__METADATA__POSTGRES__CONNECTIONSTRING"] = "Host=db.example;Database=berth;Username=berth",
        });

        Assert.Null(error);
        using (services)
        {
            Assert.Equal("Host=db.example;Database=berth;Username=berth", services!.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString);
        }
    }

    [Fact]
    public void The_postgres_metadata_type_without_a_connection_string_is_one_line_naming_the_key()
    {
        var error = Error(environment: new Dictionary<string, string?> { ["BERTH_STORAGE__METADATA__TYPE"] = "postgres" });

        Assert.StartsWith("berth: missing value for Berth:Storage:Metadata:Postgres:ConnectionString: expected an Npgsql connection string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_postgres_connection_string_that_does_not_parse_is_one_line_that_never_repeats_it()
    {
        var error = Error(appsettings: """{ "Berth": { "Storage": { "Metadata": { "Type": "postgres", "Postgres": { "ConnectionString": "Password=hunter2;Bogus Key=1" } } } } }""");

        Assert.StartsWith("berth: invalid value (not shown) for Berth:Storage:Metadata:Postgres:ConnectionString: expected ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_blob_type_from_appsettings_is_one_line_listing_filesystem()
    {
        var error = Error(appsettings: """{ "Berth": { "Storage": { "Blobs": { "Type": "tape" } } } }""");

        Assert.Equal("berth: invalid value 'tape' for Berth:Storage:Blobs:Type: not supported (supported: filesystem, s3)", error);
    }

    [Fact]
    public void A_bad_backend_path_is_one_line_naming_its_key()
    {
        var error = Error(appsettings: """{ "Berth": { "Storage": { "Metadata": { "Sqlite": { "Path": "a\u0000b" } } } } }""");

        Assert.StartsWith("berth: invalid value 'a", error, StringComparison.Ordinal);
        Assert.EndsWith("' for Berth:Storage:Metadata:Sqlite:Path: expected a path", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_flat_setting_is_reported_before_the_storage_settings()
    {
        var error = Error(
            new Dictionary<string, string?> { ["Berth:AccountId"] = "42" },
            new Dictionary<string, string?> { ["BERTH_STORAGE__METADATA__TYPE"] = "postgres" });

        Assert.Equal("berth: invalid value '42' for --account-id: expected 12 digits", error);
    }

    [Fact]
    public void A_wildcard_listen_address_gives_a_localhost_public_url_and_placeholders_are_allowed()
    {
        Assert.Equal("http://localhost:8080", Options(new Dictionary<string, string?> { ["Berth:Listen"] = "http://0.0.0.0:8080" }).PublicUrl);
        var templated = Options(new Dictionary<string, string?> { ["Berth:PublicUrl"] = "https://{account}.dkr.ecr.{region}.example.com" });
        Assert.Equal(
            "https://123456789012.dkr.ecr.eu-west-1.example.com",
            new RegistryAddress(templated).ProxyEndpoint(new Berth.Domain.RegistryScope("123456789012", "eu-west-1")));
    }

    [Fact]
    public void Every_setting_has_a_flag_a_key_and_an_environment_name_derived_from_one_declaration()
    {
        Assert.Contains(BerthSettings.All, s => s is { Flag: "data-dir", Key: "DataDir", EnvironmentName: "BERTH_DATA_DIR" });
        Assert.Contains(BerthSettings.All, s => s is { Flag: "lifecycle-preview-lifetime", Key: "LifecyclePreviewLifetime" });
        foreach (var setting in BerthSettings.All)
        {
            Assert.Equal(setting.ConfigurationKey, BerthConfiguration.ToKey(setting.EnvironmentName), StringComparer.OrdinalIgnoreCase);
        }
    }
}
