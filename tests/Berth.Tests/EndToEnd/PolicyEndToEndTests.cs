using System.Text;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Two accounts on the real server, driven by the aws CLI and skopeo: account B reaches account A's repository only
/// as far as A's repository or registry policy grants, pulling through /v2/ at A's registry address
/// (<c>&lt;A&gt;.dkr.ecr.us-east-1.localhost:&lt;port&gt;</c>, with --public-url holding <c>{account}</c> and
/// <c>{region}</c>) with B's own token, as on ECR. The host does not resolve, so skopeo sends its requests through the
/// server itself as an http proxy, which keeps the Host header.
/// </summary>
public sealed class PolicyEndToEndTests
{
    private const string A = "000000000000";
    private const string B = "210987654321";

    // Spacing, a newline and a Sid with non-ASCII text: Get must answer exactly these characters.
    private const string PullForB = """
        {
          "Version" : "2008-10-17",
          "Statement": [ { "Sid": "pull für B", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::210987654321:root" },
            "Action": [ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" ] } ]
        }
        """;

    private const string RegistryGrant = """
        {"Version":"2012-10-17","Statement":[{"Sid":"ReadAll","Effect":"Allow","Principal":{"AWS":"210987654321"},
          "Action":["ecr:DescribeRepositories","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],
          "Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*"}]}
        """;

    [E2EFact(Tools.Aws, Tools.Skopeo)]
    public async Task Another_account_pulls_only_what_a_repository_or_registry_policy_grants_and_loses_it_when_deleted()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(
            data.Path, moreArguments: port => ["--public-url", $"http://{{account}}.dkr.ecr.{{region}}.localhost:{port}"]);
        var (aId, aSecret) = server.PrintedKey();
        var (bId, bSecret) = IdentityEndToEndTests.PrintedKey(
            IdentityEndToEndTests.Ok("keys", "create", "--data-dir", data.Path, "--account-id", B));
        var awsA = new AwsCli(server.Endpoint, aId, aSecret);
        var awsB = new AwsCli(server.Endpoint, bId, bSecret);
        var registryA = $"{A}.dkr.ecr.us-east-1.localhost:{server.Port}";

        awsA.Ok("create-repository", "--repository-name", "app");
        var layout = new OciLayoutBuilder(work.Path);
        var image = layout.AddImage("v1", ImageFlavor.Oci);
        layout.AddImage("v2", ImageFlavor.Oci);
        using (var skopeoA = new Skopeo(Password(awsA)))
        {
            Skopeo.Ok(skopeoA.Copy(layout.Source("v1", ImageFlavor.Oci), $"docker://{server.Registry}/app:v1"));
        }

        using var skopeoB = new Skopeo(Password(awsB), httpProxy: server.Endpoint);
        string[] batchGet = ["batch-get-image", "--registry-id", A, "--repository-name", "app", "--image-ids", "imageTag=v1"];

        // Nothing granted: B can neither list nor pull A's repository, on either protocol.
        awsB.Fails("AccessDeniedException", "describe-repositories", "--registry-id", A);
        awsB.Fails("AccessDeniedException", batchGet);
        Skopeo.Fails(skopeoB.InspectRaw($"docker://{registryA}/app:v1"), "denied", "403");

        // A repository policy granting B pull.
        Assert.Equal(PullForB, awsA.Ok("set-repository-policy", "--repository-name", "app", "--policy-text", PullForB).GetProperty("policyText").GetString());
        Assert.Equal(PullForB, awsA.Ok("get-repository-policy", "--repository-name", "app").GetProperty("policyText").GetString());

        Assert.Equal(image.Digest, awsB.Ok(batchGet).GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(image.Digest, Pull(skopeoB, $"docker://{registryA}/app:v1").Digest);
        Skopeo.Fails(skopeoB.Copy(layout.Source("v2", ImageFlavor.Oci), $"docker://{registryA}/app:v2"), "denied", "403");
        awsB.Fails("AccessDeniedException", "describe-repositories", "--registry-id", A);

        awsA.Ok("delete-repository-policy", "--repository-name", "app");
        await Task.Delay(TimeSpan.FromSeconds(1));
        awsB.Fails("AccessDeniedException", batchGet);
        Skopeo.Fails(skopeoB.InspectRaw($"docker://{registryA}/app:v1"), "denied", "403");

        // A registry policy granting B listing and pulls in every repository of A's registry.
        Assert.Equal(RegistryGrant, awsA.Ok("put-registry-policy", "--policy-text", RegistryGrant).GetProperty("policyText").GetString());
        Assert.Equal(RegistryGrant, awsA.Ok("get-registry-policy").GetProperty("policyText").GetString());

        Assert.Equal("app", awsB.Ok("describe-repositories", "--registry-id", A).GetProperty("repositories")[0].GetProperty("repositoryName").GetString());
        Assert.Equal(image.Digest, awsB.Ok(batchGet).GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(image.Digest, Pull(skopeoB, $"docker://{registryA}/app:v1").Digest);
        Skopeo.Fails(skopeoB.Copy(layout.Source("v2", ImageFlavor.Oci), $"docker://{registryA}/app:v2"), "denied", "403");

        awsA.Ok("delete-registry-policy");
        await Task.Delay(TimeSpan.FromSeconds(1));
        awsB.Fails("AccessDeniedException", "describe-repositories", "--registry-id", A);
        Skopeo.Fails(skopeoB.InspectRaw($"docker://{registryA}/app:v1"), "denied", "403");
        awsA.Fails("RegistryPolicyNotFoundException", "get-registry-policy");
    }

    /// <summary>The password of the caller's registry token (GetAuthorizationToken's <c>AWS:&lt;password&gt;</c>).</summary>
    private static string Password(AwsCli aws)
    {
        var token = aws.Ok("get-authorization-token").GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        return Encoding.UTF8.GetString(Convert.FromBase64String(token))["AWS:".Length..];
    }

    private static PulledImage Pull(Skopeo skopeo, string image)
    {
        var path = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy(image, $"oci:{path}:pulled", "--preserve-digests"));
        return PulledImage.FromOciLayout(path, "pulled");
    }
}
