using System.Text.RegularExpressions;
using Berth.Hosting;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The `berth` executable's start-up contract.</summary>
public sealed class CommandLineTests
{
    private static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

    /// <summary>Runs berth in <paramref name="directory"/> (where it reads appsettings.json) with extra environment variables.</summary>
    private static ProcessResult BerthIn(string directory, IDictionary<string, string>? environment, params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], environment, TimeSpan.FromSeconds(60), directory);

    private static SigV4Credentials PrintedKey(ProcessResult result, string accountId) => new(
        Regex.Match(result.StandardOutput, @"aws_access_key_id\s+=\s+(\S+)").Groups[1].Value,
        Regex.Match(result.StandardOutput, @"aws_secret_access_key\s+=\s+(\S+)").Groups[1].Value,
        accountId);

    [Fact]
    public void Serve_with_a_bad_value_stops_at_start_with_one_line_naming_the_option()
    {
        using var data = new TempDirectory();

        var result = Berth("serve", "--data-dir", data.Path, "--account-id", "42");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("berth: invalid value '42' for --account-id: expected 12 digits", result.StandardError.Trim());
    }

    [Fact]
    public void Keys_create_prints_a_key_and_the_data_dir_is_owner_only()
    {
        using var parent = new TempDirectory();
        var dataDir = Path.Combine(parent.Path, "data");

        var result = Berth("keys", "create", "--data-dir", dataDir, "--account-id", "123456789012");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"aws_access_key_id\s+=\s+AKIA[A-Z2-7]{16}", result.StandardOutput);
        Assert.Matches(@"aws_secret_access_key\s+=\s+\S{40}", result.StandardOutput);
        Assert.Contains("account 123456789012", result.StandardOutput, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        }
    }

    [Fact]
    public async Task Keys_create_writes_to_the_sqlite_path_from_appsettings_and_serve_reads_that_key()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        var database = Path.Combine(work.Path, "meta", "registry.db");
        File.WriteAllText(Path.Combine(work.Path, "appsettings.json"), $$"""
            { "Berth": { "DataDir": "{{dataDir}}", "Storage": { "Metadata": { "Sqlite": { "Path": "{{database}}" } } } } }
            """);

        var created = BerthIn(work.Path, null, "keys", "create", "--account-id", "123456789012");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(File.Exists(database));
        Assert.False(File.Exists(Path.Combine(dataDir, "berth.db")));

        // The server composed from the same appsettings.json accepts the key; one on the default path would not know it.
        var configuration = BerthConfiguration.Load(work.Path, new Dictionary<string, string?> { ["BERTH_AUTH"] = "sigv4" });
        await using var host = await BerthHost.StartAsync(configuration);
        var signed = host.Ecr().WithCredentials(PrintedKey(created, "123456789012"));
        var stranger = host.Ecr().WithCredentials(new SigV4Credentials("AKIAUNKNOWNKEY000000", new string('x', 40), "123456789012"));

        Assert.Equal(System.Net.HttpStatusCode.OK, (await signed.CallAsync("DescribeRepositories")).Status);
        Assert.NotEqual(System.Net.HttpStatusCode.OK, (await stranger.CallAsync("DescribeRepositories")).Status);
    }

    [Fact]
    public void Gc_and_lifecycle_run_open_the_metadata_path_the_environment_names()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        var environment = new Dictionary<string, string>
        {
            ["BERTH_DATA_DIR"] = dataDir,
            ["BERTH_STORAGE__METADATA__SQLITE__PATH"] = Path.Combine(work.Path, "elsewhere.db"),
        };
        Assert.Equal(0, BerthIn(work.Path, environment, "keys", "create").ExitCode);

        var gc = BerthIn(work.Path, environment, "gc", "--grace-period", "0s");
        var lifecycle = BerthIn(work.Path, environment, "lifecycle", "run");
        var gcOnTheDefaultPath = BerthIn(work.Path, new Dictionary<string, string> { ["BERTH_DATA_DIR"] = dataDir }, "gc");

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.StartsWith("gc: forgot 0 blobs", gc.StandardOutput, StringComparison.Ordinal);
        Assert.True(lifecycle.ExitCode == 0, lifecycle.ToString());
        Assert.Equal(2, gcOnTheDefaultPath.ExitCode);
        Assert.Equal($"berth: no Berth data in '{dataDir}'", gcOnTheDefaultPath.StandardError.Trim());
    }

    [Fact]
    public void Admin_commands_say_why_they_did_nothing()
    {
        using var work = new TempDirectory();
        var environment = new Dictionary<string, string> { ["BERTH_DATA_DIR"] = Path.Combine(work.Path, "data") };
        Assert.Equal(0, BerthIn(work.Path, environment, "keys", "create").ExitCode);

        var gc = BerthIn(work.Path, environment, "gc");
        var lifecycle = BerthIn(work.Path, environment, "lifecycle", "run");
        var typo = BerthIn(work.Path, environment, "lifecycle", "run", "--repository", "no-such-repo");
        var unitless = BerthIn(work.Path, environment, "gc", "--grace-period", "60");

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Contains("less than the grace period (1h) are kept; --grace-period 0s collects them now", gc.StandardOutput, StringComparison.Ordinal);
        Assert.Equal((0, "lifecycle: no repository has a lifecycle policy"), (lifecycle.ExitCode, lifecycle.StandardOutput.Trim()));
        Assert.Equal((1, "berth: no repository named 'no-such-repo' has a lifecycle policy"), (typo.ExitCode, typo.StandardError.Trim()));
        Assert.Equal(2, unitless.ExitCode);
        Assert.Contains("expected a duration such as 30m, 1h or 0s", unitless.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys", "create")]
    [InlineData("gc")]
    [InlineData("lifecycle", "run")]
    [InlineData("serve")]
    public void An_unsupported_storage_type_in_a_nested_environment_name_stops_every_command_with_one_line(params string[] command)
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        var environment = new Dictionary<string, string> { ["BERTH_DATA_DIR"] = dataDir, ["BERTH_STORAGE__METADATA__TYPE"] = "mysql" };

        var result = BerthIn(work.Path, environment, command);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("berth: invalid value 'mysql' for Berth:Storage:Metadata:Type: not supported (supported: sqlite, postgres)", result.StandardError.Trim());
        Assert.False(Directory.Exists(dataDir));
    }

    [Fact]
    public void Keys_create_reads_the_documented_flat_environment_names()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");

        var result = BerthIn(work.Path, new Dictionary<string, string> { ["BERTH_DATA_DIR"] = dataDir, ["BERTH_ACCOUNT_ID"] = "210987654321", ["BERTH_REGION"] = "eu-west-3" }, "keys", "create");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("account 210987654321", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("AWS_DEFAULT_REGION=eu-west-3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("aws configure set region eu-west-3 --profile berth", result.StandardOutput, StringComparison.Ordinal);
        // Never the default profile: every configure line names one.
        Assert.All(
            result.StandardOutput.Split('\n').Where(line => line.TrimStart().StartsWith("aws configure set", StringComparison.Ordinal)),
            line => Assert.EndsWith("--profile berth", line.TrimEnd(), StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(dataDir, "berth.db")));
    }
}
