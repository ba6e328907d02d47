using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Identity policies with conditions on the repository's tags, the request's tags and the caller's address, set up
/// with the admin commands beside a running server and exercised through the aws CLI.
/// </summary>
public sealed class TagConditionEndToEndTests
{
    private const string Account = "000000000000";

    [E2EFact(Tools.Aws)]
    public async Task Policies_follow_repository_tags_at_once_request_tags_and_the_source_address()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (rootId, rootSecret) = server.PrintedKey();
        var root = new AwsCli(server.Endpoint, rootId, rootSecret);

        var blue = User(server, data.Path, "blue-team", """
            {"Effect":"Allow","Action":"ecr:*","Resource":"arn:aws:ecr:*:*:repository/*",
             "Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}
            """);
        // IAM's user names are case-insensitive: the same name in capitals is refused.
        Assert.Equal(1, IdentityEndToEndTests.Berth("users", "create", "--data-dir", data.Path, "--account-id", Account, "--name", "BLUE-TEAM").ExitCode);
        var arn = root.Ok("create-repository", "--repository-name", "app", "--tags", "Key=team,Value=blue")
            .GetProperty("repository").GetProperty("repositoryArn").GetString()!;
        blue.Ok("describe-images", "--repository-name", "app");
        blue.Ok("initiate-layer-upload", "--repository-name", "app");

        // Each change of the tag decides the very next request, with no cache between.
        root.Ok("untag-resource", "--resource-arn", arn, "--tag-keys", "team");
        blue.Fails("AccessDeniedException", "describe-images", "--repository-name", "app");
        root.Ok("tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=red");
        blue.Fails("AccessDeniedException", "initiate-layer-upload", "--repository-name", "app");
        root.Ok("tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=blue");
        blue.Ok("describe-images", "--repository-name", "app");
        blue.Ok("initiate-layer-upload", "--repository-name", "app");

        var tagger = User(server, data.Path, "tagger", """
            {"Effect":"Allow","Action":["ecr:CreateRepository","ecr:TagResource"],"Resource":"*","Condition":{
              "StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}
            """);
        var created = tagger.Ok("create-repository", "--repository-name", "tagged", "--tags", "Key=team,Value=blue")
            .GetProperty("repository").GetProperty("repositoryArn").GetString()!;
        tagger.Fails("AccessDeniedException", "create-repository", "--repository-name", "red", "--tags", "Key=team,Value=red");
        tagger.Fails("AccessDeniedException", "create-repository", "--repository-name", "extra", "--tags", "Key=team,Value=blue", "Key=cost,Value=7");
        tagger.Fails("AccessDeniedException", "create-repository", "--repository-name", "bare");
        tagger.Ok("tag-resource", "--resource-arn", created, "--tags", "Key=team,Value=blue");
        tagger.Fails("AccessDeniedException", "tag-resource", "--resource-arn", created, "--tags", "Key=owner,Value=me");

        var local = User(server, data.Path, "local", """
            {"Effect":"Allow","Action":"ecr:DescribeRepositories","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}
            """);
        var remote = User(server, data.Path, "remote", """
            {"Effect":"Allow","Action":"ecr:DescribeRepositories","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}
            """);
        local.Ok("describe-repositories");
        remote.Fails("AccessDeniedException", "describe-repositories");
    }

    /// <summary>A user made by the admin commands with one identity policy of <paramref name="statement"/>, and the CLI for its new key.</summary>
    private static AwsCli User(ServerProcess server, string dataDir, string name, string statement)
    {
        IdentityEndToEndTests.Ok("users", "create", "--data-dir", dataDir, "--account-id", Account, "--name", name);
        var policy = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + "-" + name + ".json");
        File.WriteAllText(policy, $$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""");
        try
        {
            IdentityEndToEndTests.Ok("users", "attach-policy", "--data-dir", dataDir, "--account-id", Account, "--name", name,
                "--policy-name", "conditions", "--policy-file", policy);
        }
        finally
        {
            File.Delete(policy);
        }

        var (keyId, secret) = IdentityEndToEndTests.PrintedKey(
            IdentityEndToEndTests.Ok("keys", "create", "--data-dir", dataDir, "--account-id", Account, "--user", name));
        return new AwsCli(server.Endpoint, keyId, secret);
    }
}
