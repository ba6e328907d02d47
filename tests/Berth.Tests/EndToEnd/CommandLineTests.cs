using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The `berth` executable's start-up contract.</summary>
public sealed class CommandLineTests
{
    private static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

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
}
