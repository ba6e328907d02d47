using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// A lifecycle policy as a user drives it: images pushed with skopeo, the policy and its preview through the aws CLI
/// and the boto3 waiter, then `berth lifecycle run` and `berth gc` against the data dir of the running server.
/// </summary>
public sealed class LifecycleEndToEndTests
{
    private const string Repository = "e2e/lifecycle";

    private const string KeepTwoNewestV = """
        {"rules":[{"rulePriority":1,"description":"keep the two most recent v* images",
          "selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":2},
          "action":{"type":"expire"}}]}
        """;

    // Waits with the SDK's own waiter (1 s between polls instead of 5), then pages through the whole preview.
    private const string Boto3WaitAndRead = """
        import json, sys, boto3
        endpoint, key, secret, repository = sys.argv[1:5]
        ecr = boto3.client("ecr", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id=key, aws_secret_access_key=secret)
        ecr.get_waiter("lifecycle_policy_preview_complete").wait(
            repositoryName=repository, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        results, summary, status = [], None, None
        for page in ecr.get_paginator("get_lifecycle_policy_preview").paginate(
                repositoryName=repository, PaginationConfig={"PageSize": 2}):
            results += page["previewResults"]
            summary, status = page.get("summary"), page["status"]
        print(json.dumps({"status": status, "summary": summary, "results": results}, default=str))
        """;

    private static ProcessResult RunBerth(params string[] arguments) =>
        Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "berth.dll"), .. arguments], null, TimeSpan.FromSeconds(60));

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static Dictionary<string, string> DigestsByTag(JsonElement described) =>
        described.GetProperty("imageDetails").EnumerateArray()
            .SelectMany(d => d.TryGetProperty("imageTags", out var tags)
                ? tags.EnumerateArray().Select(t => (Tag: t.GetString()!, Digest: d.GetProperty("imageDigest").GetString()!))
                : [])
            .ToDictionary(p => p.Tag, p => p.Digest);

    [E2EFact(Tools.Aws, Tools.Boto3, Tools.Skopeo)]
    public async Task Lifecycle_run_expires_exactly_what_the_preview_showed_and_gc_frees_their_blobs()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var (keyId, secret) = server.PrintedKey();
        var aws = new AwsCli(server.Endpoint, keyId, secret);
        aws.Ok("create-repository", "--repository-name", Repository);

        // Five images pushed one after another, all on one shared base layer.
        var layout = new LayoutWriter(Path.Combine(work.Path, "layout"));
        var shared = layout.AddLayer(16 * 1024);
        for (var i = 1; i <= 5; i++)
        {
            layout.AddImage($"v{i}", shared, layout.AddLayer(64 * 1024));
        }

        var password = aws.Run("get-login-password").StandardOutput.Trim();
        Assert.False(string.IsNullOrEmpty(password), "aws ecr get-login-password printed nothing");
        using var skopeo = new SkopeoRunner(work.Path, password);
        var registry = $"127.0.0.1:{server.Port}/{Repository}";
        for (var i = 1; i <= 5; i++)
        {
            SkopeoRunner.Ok(skopeo.Run("copy", "--dest-tls-verify=false", "--dest-creds", skopeo.Credentials, $"oci:{layout.Root}:v{i}", $"docker://{registry}:v{i}"));
        }

        var digests = DigestsByTag(aws.Ok("describe-images", "--repository-name", Repository));
        Assert.Equal(5, digests.Count);
        HashSet<string> expiring = [digests["v1"], digests["v2"], digests["v3"]];

        aws.Ok("put-lifecycle-policy", "--repository-name", Repository, "--lifecycle-policy-text", KeepTwoNewestV);
        var started = aws.Ok("start-lifecycle-policy-preview", "--repository-name", Repository);
        Assert.Equal("IN_PROGRESS", started.GetProperty("status").GetString());

        var waited = Tools.Run("python3", ["-c", Boto3WaitAndRead, server.Endpoint, keyId, secret, Repository], null, TimeSpan.FromSeconds(60));
        Assert.True(waited.ExitCode == 0, waited.ToString());
        var boto3Preview = JsonDocument.Parse(waited.StandardOutput).RootElement;
        var cliWait = aws.Run("wait", "lifecycle-policy-preview-complete", "--repository-name", Repository);
        Assert.True(cliWait.ExitCode == 0, cliWait.ToString());
        var cliPreview = aws.Ok("get-lifecycle-policy-preview", "--repository-name", Repository);

        Assert.Equal("COMPLETE", boto3Preview.GetProperty("status").GetString());
        Assert.Equal("COMPLETE", cliPreview.GetProperty("status").GetString());
        foreach (var results in new[] { boto3Preview.GetProperty("results"), cliPreview.GetProperty("previewResults") })
        {
            Assert.Equal(expiring, results.EnumerateArray().Select(r => r.GetProperty("imageDigest").GetString()!).ToHashSet());
            foreach (var result in results.EnumerateArray())
            {
                var tag = Assert.Single(result.GetProperty("imageTags").EnumerateArray()).GetString();
                Assert.Equal(digests[tag!], result.GetProperty("imageDigest").GetString());
                Assert.Equal("EXPIRE", result.GetProperty("action").GetProperty("type").GetString());
                Assert.Equal(1, result.GetProperty("appliedRulePriority").GetInt32());
                Assert.Equal("STANDARD", result.GetProperty("storageClass").GetString());
            }
        }

        Assert.Equal(3, boto3Preview.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
        Assert.False(cliPreview.GetProperty("summary").TryGetProperty("transitioningImageTotalCounts", out _));

        // The policy applied by the admin command while the server keeps running; first only another repository.
        var elsewhere = RunBerth("lifecycle", "run", "--data-dir", data.Path, "--repository", "some/other");
        Assert.True(
            elsewhere.ExitCode == 1 && elsewhere.StandardOutput.Length == 0
                && elsewhere.StandardError.Contains("no repository named 'some/other' has a lifecycle policy", StringComparison.Ordinal),
            elsewhere.ToString());
        Assert.Equal(5, DigestsByTag(aws.Ok("describe-images", "--repository-name", Repository)).Count);
        var run = RunBerth("lifecycle", "run", "--data-dir", data.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"000000000000/us-east-1/{Repository}: expired 3, archived 0", run.StandardOutput, StringComparison.Ordinal);

        var left = DigestsByTag(aws.Ok("describe-images", "--repository-name", Repository));
        Assert.Equal(digests.Values.Except(expiring).ToHashSet(), left.Values.ToHashSet());
        Assert.Equal(new[] { "v4", "v5" }, left.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.True(aws.Ok("get-lifecycle-policy", "--repository-name", Repository).TryGetProperty("lastEvaluatedAt", out _));

        var blobs = Path.Combine(data.Path, "blobs");
        var before = DirectorySize(blobs);
        var gc = RunBerth("gc", "--data-dir", data.Path, "--grace-period", "0s");
        Assert.True(gc.ExitCode == 0, gc.ToString());
        var after = DirectorySize(blobs);

        // Each expired image had a 64 KiB layer and a config of its own; the shared layer stays.
        Assert.Contains("deleted 6 files", gc.StandardOutput, StringComparison.Ordinal);
        Assert.True(before - after >= 3 * 64 * 1024, $"blobs went from {before} to {after} bytes: {gc}");
        SkopeoRunner.Ok(skopeo.Run("copy", "--src-tls-verify=false", "--src-creds", skopeo.Credentials, $"docker://{registry}:v4", $"dir:{Path.Combine(work.Path, "pulled")}"));
    }
}

/// <summary>An OCI image layout of small images: random gzip tar layers and a config whose diff_ids match.</summary>
file sealed class LayoutWriter
{
    private readonly JsonArray _manifests = [];

    public LayoutWriter(string root)
    {
        Root = root;
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Root { get; }

    /// <summary>A gzip tar holding one file of random bytes: its descriptor and the tar's diff_id.</summary>
    public (JsonObject Descriptor, string DiffId) AddLayer(int bytes)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "data.bin")
            {
                DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(bytes)),
                ModificationTime = DateTimeOffset.UnixEpoch,
            });
        }

        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar.GetBuffer(), 0, (int)tar.Length);
        }

        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.GetBuffer().AsSpan(0, (int)tar.Length)));
        return (Write("application/vnd.oci.image.layer.v1.tar+gzip", gzipped.ToArray()), diffId);
    }

    public void AddImage(string tag, params (JsonObject Descriptor, string DiffId)[] layers)
    {
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Labels"] = new JsonObject { ["tag"] = tag } },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. layers.Select(l => (JsonNode)l.DiffId)]) },
        };
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Write("application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes(config.ToJsonString())),
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)l.Descriptor.DeepClone())]),
        };
        var descriptor = Write("application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        _manifests.Add(descriptor);
        File.WriteAllText(Path.Combine(Root, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = _manifests.DeepClone() }.ToJsonString());
    }

    private JsonObject Write(string mediaType, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(Root, "blobs", "sha256", hex), content);
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = "sha256:" + hex, ["size"] = content.Length };
    }
}

/// <summary>skopeo with its own HOME and an accept-anything policy, so the machine's configuration plays no part.</summary>
file sealed class SkopeoRunner(string workDirectory, string password) : IDisposable
{
    private readonly TempDirectory _home = new();

    public string Credentials => "AWS:" + password;

    private string PolicyPath => Path.Combine(_home.Path, "policy.json");

    public ProcessResult Run(params string[] arguments)
    {
        File.WriteAllText(PolicyPath, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _home.Path,
            ["XDG_RUNTIME_DIR"] = Path.Combine(_home.Path, "run"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_home.Path, "config"),
            ["REGISTRY_AUTH_FILE"] = Path.Combine(_home.Path, "auth.json"),
            ["TMPDIR"] = workDirectory,
        };
        return Tools.Run("skopeo", ["--policy", PolicyPath, .. arguments], environment, TimeSpan.FromSeconds(60));
    }

    public static void Ok(ProcessResult result) => Assert.True(result.ExitCode == 0, $"skopeo failed: {result}");

    public void Dispose() => _home.Dispose();
}
