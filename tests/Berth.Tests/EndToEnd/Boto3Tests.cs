using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The real server driven by boto3, in both auth modes.</summary>
public sealed class Boto3Tests
{
    private static ProcessResult RunScript(string script, params string[] arguments) =>
        Tools.Run("python3", [Path.Combine(AppContext.BaseDirectory, "Fixtures", script), .. arguments], null, TimeSpan.FromSeconds(120));

    [E2EFact(Tools.Boto3)]
    public async Task Boto3_manages_repositories_and_tags_with_signatures_verified()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();

        var result = RunScript("boto3_repositories.py", server.Endpoint, keyId, secret, "000000000000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok", result.StandardOutput, StringComparison.Ordinal);
    }

    [E2EFact(Tools.Boto3)]
    public async Task Boto3_works_in_open_mode_with_the_account_from_the_key_id()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");

        var result = RunScript("boto3_repositories.py", server.Endpoint, "444455556666", "not-checked", "444455556666");

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
