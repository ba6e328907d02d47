using System.Text.Json.Nodes;
using static Berth.Tests.BadInput.BadInputServer;

namespace Berth.Tests.BadInput;

/// <summary>
/// A valid request for each implemented operation, aimed at the seeded registry, with every constrained member
/// present: a generated case breaks exactly one member of it, so that member is the first (and only) failure.
/// </summary>
public static class EcrBaseRequests
{
    public const string RepositoryArn = $"arn:aws:ecr:{Region}:{Account}:repository/{Repository}";

    private static readonly Dictionary<string, Func<BadInputServer, JsonObject>> Bases = new(StringComparer.Ordinal)
    {
        ["BatchCheckLayerAvailability"] = s => Repo(new() { ["layerDigests"] = new JsonArray(s.Seed.Layer.Digest.ToString()) }),
        ["BatchDeleteImage"] = _ => Repo(new() { ["imageIds"] = new JsonArray(new JsonObject { ["imageTag"] = "no-such-tag" }) }),
        ["BatchGetImage"] = _ => Repo(new()
        {
            ["imageIds"] = new JsonArray(new JsonObject { ["imageTag"] = Tag }),
            ["acceptedMediaTypes"] = new JsonArray("application/vnd.oci.image.manifest.v1+json"),
        }),
        ["CompleteLayerUpload"] = s => Repo(new()
        {
            ["uploadId"] = s.EcrUploadId,
            ["layerDigests"] = new JsonArray(s.Seed.Layer.Digest.ToString()),
        }),
        ["CreateRepository"] = _ => Repo(
            new()
            {
                ["tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "a" }),
                ["imageTagMutability"] = "IMMUTABLE_WITH_EXCLUSION",
                ["imageTagMutabilityExclusionFilters"] = new JsonArray(new JsonObject { ["filterType"] = "WILDCARD", ["filter"] = "latest*" }),
                ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = true },
                ["encryptionConfiguration"] = new JsonObject { ["encryptionType"] = "AES256" },
            },
            "never/created"),
        ["DeleteLifecyclePolicy"] = _ => Repo(new(), EmptyRepository),
        ["DeleteRepository"] = _ => Repo(new() { ["force"] = false }),
        ["DescribeImageReplicationStatus"] = _ => Repo(new() { ["imageId"] = new JsonObject { ["imageTag"] = Tag } }),
        ["DescribeImages"] = _ => Repo(new() { ["imageIds"] = new JsonArray(new JsonObject { ["imageTag"] = Tag }), ["filter"] = new JsonObject() }),
        ["DescribeRepositories"] = _ => new JsonObject { ["registryId"] = Account, ["repositoryNames"] = new JsonArray(Repository) },
        ["GetAuthorizationToken"] = _ => new JsonObject { ["registryIds"] = new JsonArray(Account) },
        ["GetDownloadUrlForLayer"] = s => Repo(new() { ["layerDigest"] = s.Seed.Layer.Digest.ToString() }),
        ["GetLifecyclePolicy"] = _ => Repo(new()),
        ["GetLifecyclePolicyPreview"] = _ => Repo(new() { ["imageIds"] = new JsonArray(new JsonObject { ["imageTag"] = Tag }) }),
        ["InitiateLayerUpload"] = _ => Repo(new()),
        ["ListImageReferrers"] = s => Repo(new()
        {
            ["subjectId"] = new JsonObject { ["imageDigest"] = s.Seed.Image.Digest.ToString() },
            ["filter"] = new JsonObject { ["artifactTypes"] = new JsonArray("application/example") },
        }),
        ["ListImages"] = _ => Repo(new()),
        ["ListTagsForResource"] = _ => new JsonObject { ["resourceArn"] = RepositoryArn },
        ["PutImage"] = s => Repo(new()
        {
            ["imageManifest"] = s.Seed.Manifest,
            ["imageManifestMediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["imageTag"] = "v2",
            ["imageDigest"] = s.Seed.Image.Digest.ToString(),
        }),
        ["PutImageScanningConfiguration"] = _ => Repo(new() { ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = true } }),
        ["PutImageTagMutability"] = _ => Repo(new() { ["imageTagMutability"] = "IMMUTABLE" }),
        ["PutLifecyclePolicy"] = _ => Repo(new() { ["lifecyclePolicyText"] = LifecyclePolicy }, EmptyRepository),
        ["StartLifecyclePolicyPreview"] = _ => Repo(new() { ["lifecyclePolicyText"] = LifecyclePolicy }),
        ["TagResource"] = _ => new JsonObject
        {
            ["resourceArn"] = RepositoryArn,
            ["tags"] = new JsonArray(new JsonObject { ["Key"] = "owner", ["Value"] = "b" }),
        },
        ["UntagResource"] = _ => new JsonObject { ["resourceArn"] = RepositoryArn, ["tagKeys"] = new JsonArray("team") },
        ["UpdateImageStorageClass"] = _ => Repo(new() { ["imageId"] = new JsonObject { ["imageTag"] = Tag }, ["targetStorageClass"] = "ARCHIVE" }),
        ["UploadLayerPart"] = s => Repo(new()
        {
            ["uploadId"] = s.EcrUploadId,
            ["partFirstByte"] = 0,
            ["partLastByte"] = 2,
            ["layerPartBlob"] = "YWJj",
        }),
    };

    public static JsonObject For(string operation, BadInputServer server) => Bases[operation](server);

    private static JsonObject Repo(JsonObject members, string repository = Repository)
    {
        var body = new JsonObject { ["registryId"] = Account, ["repositoryName"] = repository };
        foreach (var (name, value) in members.ToArray())
        {
            members.Remove(name);
            body[name] = value;
        }

        return body;
    }
}
