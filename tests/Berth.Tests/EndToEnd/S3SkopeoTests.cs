using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Berth.Tests.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.EndToEnd;

/// <summary>
/// A real `berth serve` with blobs in S3 (the BERTH_TEST_S3 server) and metadata in SQLite, configured through the
/// environment as an operator would, pushed to and pulled from with skopeo; pulls follow 307s to presigned S3 URLs.
/// </summary>
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed class S3SkopeoTests
{
    [E2EFact(Tools.Skopeo, Tools.Aws)]
    public async Task Image_pushed_to_blobs_on_S3_pulls_back_unchanged_through_presigned_redirects()
    {
        var endpoint = TestS3.Endpoint();
        TestS3.EnsureCredentials();
        var bucket = TestS3.Bucket(GetType());
        var prefix = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, auth: "none", environment: new Dictionary<string, string>
        {
            ["BERTH_STORAGE__BLOBS__TYPE"] = "s3",
            ["BERTH_STORAGE__BLOBS__S3__SERVICE_URL"] = endpoint,
            ["BERTH_STORAGE__BLOBS__S3__BUCKET"] = bucket,
            ["BERTH_STORAGE__BLOBS__S3__REGION"] = "us-east-1",
            ["BERTH_STORAGE__BLOBS__S3__FORCE_PATH_STYLE"] = "true",
            ["BERTH_STORAGE__BLOBS__S3__PREFIX"] = prefix,
            ["BERTH_STORAGE__BLOBS__S3__REDIRECT"] = "true",
        });
        new AwsCli(server.Endpoint, "AKIAIOSFODNN7EXAMPLE", "not-checked").Ok("create-repository", "--repository-name", "on-s3");
        var layout = new OciLayoutBuilder(work.Path);

        // Layers larger than one S3 part, so pushes go through multipart uploads.
        var image = layout.AddImage("v1", ImageFlavor.Oci, layers: 2, bytesPerLayer: 9 * 1024 * 1024 + 123);
        using var skopeo = new Skopeo();
        var target = $"docker://{server.Registry}/on-s3:v1";
        Skopeo.Ok(skopeo.Copy(layout.Source("v1", ImageFlavor.Oci), target));

        var pulledPath = skopeo.NewDirectory("pulled");
        Skopeo.Ok(skopeo.Copy(target, $"oci:{pulledPath}:pulled", "--preserve-digests"));
        var pulled = PulledImage.FromOciLayout(pulledPath, "pulled");
        Assert.Equal(image.Digest, pulled.Digest);
        Assert.Equal(image.AllDigests.Order(StringComparer.Ordinal), pulled.AllDigests.Order(StringComparer.Ordinal));

        // The bytes are in the bucket under the prefix, not in the data dir.
        using var client = TestS3.Client(TestS3.Options(bucket, prefix, redirect: false));
        var layer = image.LayerDigests[0];
        var hex = layer["sha256:".Length..];
        var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = $"{prefix}/blobs/sha256/{hex[..2]}/{hex}" });
        Assert.Equal(new FileInfo(layout.BlobPath(layer)).Length, head.ContentLength);
        Assert.False(Directory.Exists(Path.Combine(data.Path, "blobs")) && Directory.EnumerateFiles(Path.Combine(data.Path, "blobs"), "*", SearchOption.AllDirectories).Any());

        // A blob GET answers 307 to a presigned URL of the S3 server, which serves exactly the layer.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await http.GetAsync($"{server.Endpoint}/v2/on-s3/blobs/{layer}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(endpoint.TrimEnd('/') + "/" + bucket + "/" + prefix + "/blobs/sha256/", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", location.Query, StringComparison.Ordinal);
        var bytes = await http.GetByteArrayAsync(location);
        Assert.Equal(layer, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
