using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>The real server driven by the aws CLI, as a user would.</summary>
public sealed class AwsCliTests
{
    private static string TagsOf(JsonElement listed) =>
        string.Join(',', listed.GetProperty("tags").EnumerateArray()
            .Select(t => t.GetProperty("Key").GetString() + "=" + t.GetProperty("Value").GetString())
            .Order(StringComparer.Ordinal));

    [E2EFact(Tools.Aws)]
    public async Task Repositories_and_tags_through_the_aws_cli_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        const string arn = "arn:aws:ecr:us-east-1:000000000000:repository/e2e/app";

        var created = aws.Ok("create-repository", "--repository-name", "e2e/app", "--tags", "Key=team,Value=web", "Key=env,Value=dev",
            "--image-tag-mutability", "IMMUTABLE", "--image-scanning-configuration", "scanOnPush=true");
        Assert.Equal(arn, created.GetProperty("repository").GetProperty("repositoryArn").GetString());
        Assert.Equal($"127.0.0.1:{server.Port}/e2e/app", created.GetProperty("repository").GetProperty("repositoryUri").GetString());

        Assert.Equal("env=dev,team=web", TagsOf(aws.Ok("list-tags-for-resource", "--resource-arn", arn)));
        aws.Ok("tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=api", "Key=cost,Value=42");
        Assert.Equal("cost=42,env=dev,team=api", TagsOf(aws.Ok("list-tags-for-resource", "--resource-arn", arn)));
        aws.Ok("untag-resource", "--resource-arn", arn, "--tag-keys", "env");
        Assert.Equal("cost=42,team=api", TagsOf(aws.Ok("list-tags-for-resource", "--resource-arn", arn)));

        aws.Fails("RepositoryAlreadyExistsException", "create-repository", "--repository-name", "e2e/app");
        aws.Fails("InvalidParameterException", "create-repository", "--repository-name", "Bad/Name");
        aws.Fails("RepositoryNotFoundException", "describe-repositories", "--repository-names", "missing");

        Assert.Equal(0, await server.StopAsync());
        await server.RestartAsync();

        var described = aws.Ok("describe-repositories", "--repository-names", "e2e/app").GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE", described.GetProperty("imageTagMutability").GetString());
        Assert.True(described.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("cost=42,team=api", TagsOf(aws.Ok("list-tags-for-resource", "--resource-arn", arn)));

        aws.Ok("delete-repository", "--repository-name", "e2e/app");
        Assert.Equal(0, aws.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
    }

    [E2EFact(Tools.Aws)]
    public async Task Wrong_secret_and_unknown_key_are_refused_and_other_accounts_see_nothing()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        aws.Ok("create-repository", "--repository-name", "private-repo");

        new AwsCli(server.Endpoint, keyId, secret[..^1] + (secret[^1] == 'A' ? "B" : "A"))
            .Fails("InvalidSignatureException", "describe-repositories");
        new AwsCli(server.Endpoint, "AKIAUNKNOWNKEY000000", secret).Fails("UnrecognizedClientException", "describe-repositories");

        // A key for another account, made by the admin command while the server runs.
        var created = Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), "keys", "create", "--data-dir", data.Path, "--account-id", "210987654321"], null, TimeSpan.FromSeconds(60));
        Assert.True(created.ExitCode == 0, created.ToString());
        var other = System.Text.RegularExpressions.Regex.Match(created.StandardOutput, @"aws_access_key_id\s+=\s+(\S+)\s+aws_secret_access_key\s+=\s+(\S+)");
        var otherAccount = new AwsCli(server.Endpoint, other.Groups[1].Value, other.Groups[2].Value);
        Assert.Equal(0, otherAccount.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
        otherAccount.Fails("RepositoryNotFoundException", "describe-repositories", "--repository-names", "private-repo");
        otherAccount.Fails("AccessDeniedException", "describe-repositories", "--registry-id", "000000000000");

        var otherRegion = new AwsCli(server.Endpoint, keyId, secret, region: "eu-west-1");
        Assert.Equal(0, otherRegion.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
    }

    [E2EFact(Tools.Aws)]
    public async Task Open_mode_takes_the_account_from_a_twelve_digit_key_id()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        Assert.DoesNotContain("aws_access_key_id", server.Output, StringComparison.Ordinal);

        var mine = new AwsCli(server.Endpoint, "111122223333", "anything");
        var repository = mine.Ok("create-repository", "--repository-name", "open-repo").GetProperty("repository");
        Assert.Equal("111122223333", repository.GetProperty("registryId").GetString());

        var defaultAccount = new AwsCli(server.Endpoint, "AKIANOTANACCOUNT0000", "whatever");
        Assert.Equal(0, defaultAccount.Ok("describe-repositories").GetProperty("repositories").GetArrayLength());
        Assert.Equal("000000000000", defaultAccount.Ok("create-repository", "--repository-name", "open-repo").GetProperty("repository").GetProperty("registryId").GetString());
    }
}
