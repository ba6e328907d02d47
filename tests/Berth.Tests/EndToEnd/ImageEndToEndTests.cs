using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Tests.Ecr;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// Images pushed over /v2/, then listed, described, retagged, deleted and uploaded layer by layer with the aws
/// CLI and boto3, and pulled back with skopeo and plain HTTP.
/// </summary>
public sealed class ImageEndToEndTests
{
    private const string Repository = "e2e/app";

    [E2EFact(Tools.Aws, Tools.Skopeo)]
    public async Task Aws_cli_lists_describes_retags_and_deletes_images_and_uploads_a_layer_that_v2_serves()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        aws.Ok("create-repository", "--repository-name", Repository);
        var password = RegistryPassword(aws);
        using var http = RegistryClient(server, password);
        var (v1, latest, untagged) = await PushThreeAsync(new RegistryPusher(http));

        Assert.Equal(Sorted($"{v1.Digest}:v1", $"{latest.Digest}:latest", untagged.Digest), ListKeys(aws));
        Assert.Equal(Sorted($"{v1.Digest}:v1", $"{latest.Digest}:latest"), ListKeys(aws, "--filter", "tagStatus=TAGGED"));
        Assert.Equal([untagged.Digest], ListKeys(aws, "--filter", "tagStatus=UNTAGGED"));
        Assert.Equal(Sorted(v1.Digest, latest.Digest), DescribedDigests(aws, "TAGGED"));
        Assert.Equal([untagged.Digest], DescribedDigests(aws, "UNTAGGED"));
        var details = aws.Ok("describe-images", "--repository-name", Repository, "--filter", "tagStatus=ANY").GetProperty("imageDetails")
            .EnumerateArray().ToDictionary(d => d.GetProperty("imageDigest").GetString()!);
        Assert.Equal(Sorted(v1.Digest, latest.Digest, untagged.Digest), Sorted([.. details.Keys]));
        Assert.False(details[untagged.Digest].TryGetProperty("imageTags", out _));
        Assert.Equal("v1", details[v1.Digest].GetProperty("imageTags")[0].GetString());
        Assert.Equal(v1.LayerBytes, details[v1.Digest].GetProperty("imageSizeInBytes").GetInt64());
        Assert.Equal(untagged.LayerBytes, details[untagged.Digest].GetProperty("imageSizeInBytes").GetInt64());

        // The retag recipe, then a pull of the new tag by a registry client.
        var got = aws.Ok("batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1").GetProperty("images")[0];
        string[] retag = ["put-image", "--repository-name", Repository, "--image-tag", "release",
            "--image-manifest", got.GetProperty("imageManifest").GetString()!,
            "--image-manifest-media-type", got.GetProperty("imageManifestMediaType").GetString()!];
        var put = aws.Ok(retag).GetProperty("image").GetProperty("imageId");
        Assert.Equal(v1.Digest, put.GetProperty("imageDigest").GetString());
        var pulled = SkopeoInspectRaw($"127.0.0.1:{server.Port}/{Repository}:release", $"AWS:{password}");
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal(v1.Digest, RegistryPusher.DigestOf(pulled.StandardOutput));

        var byTag = aws.Ok("batch-delete-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
        Assert.Equal($"{v1.Digest}:v1", EcrJson.Key(Assert.Single(byTag.GetProperty("imageIds").EnumerateArray())));
        var byDigest = aws.Ok("batch-delete-image", "--repository-name", Repository, "--image-ids", $"imageDigest={untagged.Digest}", "imageTag=absent");
        Assert.Equal(untagged.Digest, EcrJson.Key(Assert.Single(byDigest.GetProperty("imageIds").EnumerateArray())));
        Assert.Equal("ImageNotFound", Assert.Single(byDigest.GetProperty("failures").EnumerateArray()).GetProperty("failureCode").GetString());
        Assert.Equal(Sorted($"{v1.Digest}:release", $"{latest.Digest}:latest"), ListKeys(aws));

        // A layer through the layer-upload API, read back over /v2/.
        var layer = RegistryPusher.Bytes("cli-layer", 200_000);
        var layerFile = Path.Combine(files.Path, "layer.bin");
        await File.WriteAllBytesAsync(layerFile, layer);
        var layerDigest = RegistryPusher.DigestOf(layer);
        var uploadId = aws.Ok("initiate-layer-upload", "--repository-name", Repository).GetProperty("uploadId").GetString()!;
        var part = aws.Ok("upload-layer-part", "--repository-name", Repository, "--upload-id", uploadId,
            "--part-first-byte", "0", "--part-last-byte", (layer.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--layer-part-blob", "fileb://" + layerFile);
        Assert.Equal(layer.Length - 1, part.GetProperty("lastByteReceived").GetInt64());
        var completed = aws.Ok("complete-layer-upload", "--repository-name", Repository, "--upload-id", uploadId, "--layer-digests", layerDigest);
        Assert.Equal(layerDigest, completed.GetProperty("layerDigest").GetString());
        Assert.Equal(layerDigest, await BlobDigestAsync(http, layerDigest));
    }

    [E2EFact(Tools.Boto3, Tools.Skopeo)]
    public async Task Boto3_lists_describes_retags_and_deletes_images_and_uploads_a_layer_that_v2_serves()
    {
        using var data = new TempDirectory();
        using var files = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        const string account = "000000000000";
        using var http = RegistryClient(server, password: null);
        await new EcrClient(http, account, "us-east-1").OkAsync("CreateRepository", $$"""{"repositoryName":"{{Repository}}"}""");
        var (v1, latest, untagged) = await PushThreeAsync(new RegistryPusher(http));
        var layer = RegistryPusher.Bytes("boto3-layer", 150_000);
        var layerFile = Path.Combine(files.Path, "layer.bin");
        await File.WriteAllBytesAsync(layerFile, layer);

        var result = RunScript("boto3_images.py", server.Endpoint, account, "not-checked", Repository, v1.Digest, latest.Digest, untagged.Digest, layerFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"layer {RegistryPusher.DigestOf(layer)}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(RegistryPusher.DigestOf(layer), await BlobDigestAsync(http, RegistryPusher.DigestOf(layer)));
        var pulled = SkopeoInspectRaw($"127.0.0.1:{server.Port}/{Repository}:release", credentials: null);
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal(v1.Digest, RegistryPusher.DigestOf(pulled.StandardOutput));
    }

    [E2EFact(Tools.Aws, Tools.Boto3)]
    public async Task Aws_cli_and_boto3_paginators_walk_1500_images_across_the_tagged_untagged_boundary()
    {
        const int Tagged = 1450;
        const int Untagged = 50;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none");
        var aws = new AwsCli(server.Endpoint, "000000000000", "not-checked");
        using var http = RegistryClient(server, password: null);
        await new EcrClient(http, "000000000000", "us-east-1").OkAsync("CreateRepository", $$"""{"repositoryName":"{{Repository}}"}""");
        var push = new RegistryPusher(http);
        var template = await push.PushImageAsync(Repository, "template", "template");
        await Parallel.ForEachAsync(Enumerable.Range(0, Tagged + Untagged - 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var manifest = RegistryPusher.ImageManifest(template.Config, template.Layers, annotation: $"image-{i}");
            await push.PushManifestAsync(Repository, i < Tagged - 1 ? $"tag-{i:D4}" : RegistryPusher.DigestOf(manifest), manifest);
        });

        var cliList = aws.Ok("list-images", "--repository-name", Repository).GetProperty("imageIds").EnumerateArray().Select(EcrJson.Key).ToList();
        var script = RunScript("boto3_paginate.py", server.Endpoint, "000000000000", "not-checked", Repository);

        Assert.True(script.ExitCode == 0, script.ToString());
        var boto3 = JsonDocument.Parse(script.StandardOutput).RootElement;
        Assert.Equal(Tagged + Untagged, cliList.Count);
        Assert.Equal(cliList.Count, cliList.Distinct().Count());
        Assert.Equal(Tagged + Untagged, boto3.GetProperty("list").GetInt32());
        Assert.Equal(Tagged + Untagged, boto3.GetProperty("listUnique").GetInt32());
        Assert.Equal(15, boto3.GetProperty("listPages").GetInt32());
        Assert.Equal(Tagged, boto3.GetProperty("tagged").GetInt32());
        Assert.Equal(Untagged, boto3.GetProperty("untagged").GetInt32());
        Assert.Equal(Tagged + Untagged, boto3.GetProperty("describe").GetInt32());
        Assert.Equal(Tagged + Untagged, boto3.GetProperty("describeUnique").GetInt32());
        Assert.Equal(6, boto3.GetProperty("describePages").GetInt32());
        Assert.Equal(cliList.Order(StringComparer.Ordinal), boto3.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!));
    }

    /// <summary>Two tagged images and one left untagged because its tag moved on.</summary>
    private static async Task<(PushedImage V1, PushedImage Latest, PushedImage Untagged)> PushThreeAsync(RegistryPusher push)
    {
        var v1 = await push.PushImageAsync(Repository, "v1", "v1", [1000, 2000]);
        var untagged = await push.PushImageAsync(Repository, "latest", "previous", [3000]);
        var latest = await push.PushImageAsync(Repository, "latest", "latest", [4000]);
        return (v1, latest, untagged);
    }

    private static string[] Sorted(params string[] keys) => [.. keys.Order(StringComparer.Ordinal)];

    private static string[] ListKeys(AwsCli aws, params string[] filter) =>
        Sorted([.. aws.Ok(["list-images", "--repository-name", Repository, .. filter]).GetProperty("imageIds").EnumerateArray().Select(EcrJson.Key)]);

    private static string[] DescribedDigests(AwsCli aws, string tagStatus) =>
        Sorted([.. aws.Ok("describe-images", "--repository-name", Repository, "--filter", $"tagStatus={tagStatus}")
            .GetProperty("imageDetails").EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()!)]);

    /// <summary>The password docker would log in with, from GetAuthorizationToken.</summary>
    private static string RegistryPassword(AwsCli aws)
    {
        var token = aws.Ok("get-authorization-token").GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        Assert.StartsWith("AWS:", credentials, StringComparison.Ordinal);
        return credentials[4..];
    }

    private static HttpClient RegistryClient(ServerProcess server, string? password)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Endpoint), Timeout = TimeSpan.FromSeconds(60) };
        if (password is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password)));
        }

        return http;
    }

    private static async Task<string> BlobDigestAsync(HttpClient http, string digest)
    {
        using var response = await http.GetAsync($"/v2/{Repository}/blobs/{digest}");
        Assert.True(response.IsSuccessStatusCode, $"GET blob {digest}: {(int)response.StatusCode}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>skopeo inspect --raw with its own HOME and an accept-anything policy, so no user config leaks in.</summary>
    private static ProcessResult SkopeoInspectRaw(string reference, string? credentials)
    {
        using var home = new TempDirectory();
        var policy = Path.Combine(home.Path, "policy.json");
        File.WriteAllText(policy, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home.Path,
            ["XDG_RUNTIME_DIR"] = home.Path,
            ["XDG_CONFIG_HOME"] = Path.Combine(home.Path, ".config"),
        };
        string[] creds = credentials is null ? [] : ["--creds", credentials];
        return Tools.Run("skopeo", ["--policy", policy, "inspect", "--raw", "--tls-verify=false", .. creds, "docker://" + reference], environment, TimeSpan.FromSeconds(60));
    }

    private static ProcessResult RunScript(string script, params string[] arguments) =>
        Tools.Run("python3", [Path.Combine(AppContext.BaseDirectory, "Fixtures", script), .. arguments], null, TimeSpan.FromSeconds(120));
}
