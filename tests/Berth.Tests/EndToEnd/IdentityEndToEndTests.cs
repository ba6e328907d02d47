using System.Text.RegularExpressions;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>Users and keys made by the admin commands while a server runs, seen through the aws CLI.</summary>
public sealed class IdentityEndToEndTests
{
    /// <summary>Runs the berth admin command line beside a server.</summary>
    internal static ProcessResult Berth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

    internal static ProcessResult Ok(params string[] arguments)
    {
        var result = Berth(arguments);
        Assert.True(result.ExitCode == 0, $"berth {string.Join(' ', arguments)}: {result}");
        return result;
    }

    internal static (string KeyId, string Secret) PrintedKey(ProcessResult result) => (
        Regex.Match(result.StandardOutput, @"aws_access_key_id\s+=\s+(\S+)").Groups[1].Value,
        Regex.Match(result.StandardOutput, @"aws_secret_access_key\s+=\s+(\S+)").Groups[1].Value);

    [E2EFact(Tools.Aws)]
    public async Task Users_and_keys_from_the_cli_are_who_sts_says_and_a_disabled_key_stops_working()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (rootId, rootSecret) = server.PrintedKey();

        var root = new AwsCli(server.Endpoint, rootId, rootSecret).RunService("sts", "get-caller-identity");
        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Contains("\"Arn\": \"arn:aws:iam::000000000000:root\"", root.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"Account\": \"000000000000\"", root.StandardOutput, StringComparison.Ordinal);

        Assert.Equal("arn:aws:iam::000000000000:user/ci", Ok("users", "create", "--data-dir", data.Path, "--account-id", "000000000000", "--name", "ci").StandardOutput.Trim());
        var policy = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + "-policy.json");
        File.WriteAllText(policy, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:Describe*","Resource":"*"}]}""");
        Ok("users", "attach-policy", "--data-dir", data.Path, "--account-id", "000000000000", "--name", "ci", "--policy-name", "read", "--policy-file", policy);
        File.WriteAllText(policy, """{"Version":"2012-10-17"}""");
        Assert.Equal(2, Berth("users", "attach-policy", "--data-dir", data.Path, "--account-id", "000000000000", "--name", "ci", "--policy-name", "bad", "--policy-file", policy).ExitCode);
        File.Delete(policy);
        Assert.Contains("arn:aws:iam::000000000000:user/ci\t", Ok("users", "list", "--data-dir", data.Path).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\tread", Ok("users", "list", "--data-dir", data.Path, "--account-id", "000000000000").StandardOutput, StringComparison.Ordinal);

        Assert.Equal(1, Berth("keys", "create", "--data-dir", data.Path, "--account-id", "000000000000", "--user", "nobody").ExitCode);
        var (userId, userSecret) = PrintedKey(Ok("keys", "create", "--data-dir", data.Path, "--account-id", "000000000000", "--user", "ci"));
        var user = new AwsCli(server.Endpoint, userId, userSecret);
        var identity = user.RunService("sts", "get-caller-identity");
        Assert.True(identity.ExitCode == 0, identity.ToString());
        Assert.Contains("\"Arn\": \"arn:aws:iam::000000000000:user/ci\"", identity.StandardOutput, StringComparison.Ordinal);
        user.Ok("describe-repositories");

        var listed = Ok("keys", "list", "--data-dir", data.Path).StandardOutput;
        Assert.Contains($"{userId}\t000000000000\tuser/ci\tActive\t", listed, StringComparison.Ordinal);
        Assert.Contains($"{rootId}\t000000000000\troot\tActive\t", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(userSecret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(rootSecret, listed, StringComparison.Ordinal);
        // Secrets are sealed in the database and its WAL, the one the server printed first included.
        foreach (var file in Directory.GetFiles(data.Path, "berth.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            var text = await reader.ReadToEndAsync();
            Assert.DoesNotContain(rootSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(userSecret, text, StringComparison.Ordinal);
        }

        Ok("keys", "disable", "--data-dir", data.Path, "--access-key-id", userId);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        user.Fails("UnrecognizedClientException", "describe-repositories");
        Assert.Contains("(InvalidClientTokenId)", user.RunService("sts", "get-caller-identity").StandardError, StringComparison.Ordinal);

        Ok("keys", "enable", "--data-dir", data.Path, "--access-key-id", userId);
        user.Ok("describe-repositories");

        Ok("users", "delete", "--data-dir", data.Path, "--account-id", "000000000000", "--name", "ci");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        user.Fails("UnrecognizedClientException", "describe-repositories");
        Assert.DoesNotContain(userId, Ok("keys", "list", "--data-dir", data.Path).StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, Berth("keys", "delete", "--data-dir", data.Path, "--access-key-id", userId).ExitCode);
    }
}
