using System.Text.Json;
using Berth.Tests.Signing;
using Berth.Tests.Support;
using static Berth.Tests.EndToEnd.IdentityEndToEndTests;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Managed signing through the real server: a profile made and its root exported by `berth signing-profiles`, the four
/// signing operations through the aws CLI, a push signed in the background and its signature checked by Python.
/// </summary>
public sealed class SigningEndToEndTests
{
    private const string Account = "000000000000";
    private const string Repository = "signed/app";

    [E2EFact(Tools.Aws, Tools.PythonCryptography)]
    public async Task A_profile_from_the_cli_signs_pushes_the_aws_cli_configured_and_python_verifies_them()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (rootId, rootSecret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, rootId, rootSecret);

        var arn = Ok("signing-profiles", "create", "--data-dir", data.Path, "--account-id", Account, "--name", "cli_signer", "--validity-days", "7").StandardOutput.Trim();
        Assert.Equal($"arn:aws:signer:us-east-1:{Account}:/signing-profiles/cli_signer", arn);
        Assert.NotEqual(0, IdentityEndToEndTests.Berth("signing-profiles", "create", "--data-dir", data.Path, "--account-id", Account, "--name", "cli_signer").ExitCode);
        Assert.Contains(arn, Ok("signing-profiles", "list", "--data-dir", data.Path, "--account-id", Account).StandardOutput, StringComparison.Ordinal);
        var rootPem = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + "-root.pem");
        Ok("signing-profiles", "export-root", "--data-dir", data.Path, "--account-id", Account, "--name", "cli_signer", "--output", rootPem);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(rootPem), StringComparison.Ordinal);

        aws.Fails("SigningConfigurationNotFoundException", "get-signing-configuration");
        aws.Fails("SigningConfigurationNotFoundException", "delete-signing-configuration");
        aws.Fails("InvalidParameterException", "put-signing-configuration", "--signing-configuration",
            $$"""{"rules":[{"signingProfileArn":"arn:aws:signer:us-east-1:{{Account}}:/signing-profiles/absent"}]}""");
        var configuration = $$"""{"rules":[{"signingProfileArn":"{{arn}}","repositoryFilters":[{"filter":"signed/*","filterType":"WILDCARD_MATCH"}]}]}""";
        var put = aws.Ok("put-signing-configuration", "--signing-configuration", configuration);
        Assert.Equal(arn, put.GetProperty("signingConfiguration").GetProperty("rules")[0].GetProperty("signingProfileArn").GetString());
        Assert.Equal(Account, aws.Ok("get-signing-configuration").GetProperty("registryId").GetString());

        aws.Ok("create-repository", "--repository-name", Repository);
        var token = aws.Ok("get-authorization-token").GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString();
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint) };
        var oci = new OciClient(http, "Basic " + token);
        var image = await oci.PushImageAsync(Repository, "v1", "signed end to end");

        var status = await WaitForSigningAsync(aws, image.Digest.ToString());
        Assert.Equal("COMPLETE", status.GetProperty("status").GetString());
        Assert.Equal(arn, status.GetProperty("signingProfileArn").GetString());

        using var referrers = await oci.GetAsync($"/v2/{Repository}/referrers/{image.Digest}");
        var referrer = Assert.Single(JsonDocument.Parse(await referrers.Content.ReadAsStringAsync()).RootElement.GetProperty("manifests").EnumerateArray());
        using var signatureManifest = await oci.GetAsync($"/v2/{Repository}/manifests/{referrer.GetProperty("digest").GetString()}", ("Accept", TestManifests.OciManifest));
        var envelopeDigest = JsonDocument.Parse(await signatureManifest.Content.ReadAsStringAsync()).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();
        using var envelope = await oci.GetAsync($"/v2/{Repository}/blobs/{envelopeDigest}");
        using var manifest = await oci.GetAsync($"/v2/{Repository}/manifests/v1", ("Accept", TestManifests.OciManifest));
        var envelopeFile = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + ".jws");
        var manifestFile = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + "-manifest.json");
        await File.WriteAllBytesAsync(envelopeFile, await envelope.Content.ReadAsByteArrayAsync());
        await File.WriteAllBytesAsync(manifestFile, await manifest.Content.ReadAsByteArrayAsync());
        try
        {
            var verified = SigningOperationsTests.Verify(envelopeFile, rootPem, manifestFile);
            Assert.True(verified.ExitCode == 0, verified.ToString());
        }
        finally
        {
            File.Delete(envelopeFile);
            File.Delete(manifestFile);
            File.Delete(rootPem);
        }

        var deleted = aws.Ok("delete-signing-configuration");
        Assert.Equal(arn, deleted.GetProperty("signingConfiguration").GetProperty("rules")[0].GetProperty("signingProfileArn").GetString());
        aws.Fails("SigningConfigurationNotFoundException", "get-signing-configuration");
        Assert.Equal("COMPLETE", aws.Ok("describe-image-signing-status", "--repository-name", Repository, "--image-id", "imageTag=v1")
            .GetProperty("signingStatuses")[0].GetProperty("status").GetString());
        aws.Fails("ImageNotFoundException", "describe-image-signing-status", "--repository-name", Repository, "--image-id", "imageTag=absent");
    }

    private static async Task<JsonElement> WaitForSigningAsync(AwsCli aws, string digest)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var answer = aws.Ok("describe-image-signing-status", "--repository-name", Repository, "--image-id", $"imageDigest={digest}");
            var status = Assert.Single(answer.GetProperty("signingStatuses").EnumerateArray());
            if (status.GetProperty("status").GetString() != "IN_PROGRESS" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }
}
