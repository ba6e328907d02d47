using System.Text.Json;
using Berth.Tests.Support;
using static Berth.Tests.EndToEnd.IdentityEndToEndTests;

namespace Berth.Tests.EndToEnd;

/// <summary>Pull-time update exclusions through the aws CLI against the real server, with users made by the admin commands.</summary>
public sealed class PullExclusionEndToEndTests
{
    private const string Account = "000000000000";
    private const string Repository = "excluded";

    [E2EFact(Tools.Aws)]
    public async Task An_excluded_users_pulls_leave_lastRecordedPullTime_alone_and_another_users_pulls_set_it()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (rootId, rootSecret) = server.PrintedKey();
        var root = new AwsCli(server.Endpoint, rootId, rootSecret);
        var scanner = UserCli(server, data.Path, "scanner");
        var developer = UserCli(server, data.Path, "developer");
        var scannerArn = $"arn:aws:iam::{Account}:user/scanner";

        root.Ok("create-repository", "--repository-name", Repository);
        var token = root.Ok("get-authorization-token").GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString();
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        var image = await new OciClient(http, "Basic " + token).PushImageAsync(Repository, "v1", "pull-time exclusion");

        var registered = root.Ok("register-pull-time-update-exclusion", "--principal-arn", scannerArn);
        Assert.Equal(scannerArn, registered.GetProperty("principalArn").GetString());
        Assert.Equal(JsonValueKind.Number, registered.GetProperty("createdAt").ValueKind);
        root.Fails("ExclusionAlreadyExistsException", "register-pull-time-update-exclusion", "--principal-arn", scannerArn);
        root.Fails("InvalidParameterException", "register-pull-time-update-exclusion", "--principal-arn", $"arn:aws:iam::{Account}:root");
        var listed = root.Ok("list-pull-time-update-exclusions").GetProperty("pullTimeUpdateExclusions");
        Assert.Equal(scannerArn, Assert.Single(listed.EnumerateArray()).GetString());

        scanner.Ok("batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
        Assert.False(Detail(root, image.Digest.ToString()).TryGetProperty("lastRecordedPullTime", out _));

        developer.Ok("batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
        Assert.Equal(JsonValueKind.Number, Detail(root, image.Digest.ToString()).GetProperty("lastRecordedPullTime").ValueKind);

        Assert.Equal(scannerArn, root.Ok("deregister-pull-time-update-exclusion", "--principal-arn", scannerArn).GetProperty("principalArn").GetString());
        root.Fails("ExclusionNotFoundException", "deregister-pull-time-update-exclusion", "--principal-arn", scannerArn);
        Assert.Equal(0, root.Ok("list-pull-time-update-exclusions").GetProperty("pullTimeUpdateExclusions").GetArrayLength());
    }

    private static AwsCli UserCli(ServerProcess server, string dataDir, string name)
    {
        Ok("users", "create", "--data-dir", dataDir, "--account-id", Account, "--name", name);
        var policy = Path.Combine(Path.GetDirectoryName(dataDir)!, Path.GetFileName(dataDir) + $"-{name}.json");
        File.WriteAllText(policy, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        Ok("users", "attach-policy", "--data-dir", dataDir, "--account-id", Account, "--name", name, "--policy-name", "ecr", "--policy-file", policy);
        File.Delete(policy);
        var (keyId, secret) = PrintedKey(Ok("keys", "create", "--data-dir", dataDir, "--account-id", Account, "--user", name));
        return new AwsCli(server.Endpoint, keyId, secret);
    }

    private static JsonElement Detail(AwsCli aws, string digest) =>
        aws.Ok("describe-images", "--repository-name", Repository, "--image-ids", $"imageDigest={digest}").GetProperty("imageDetails")[0];
}
