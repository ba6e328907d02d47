using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.EcrJson;

namespace Berth.Tests.Ecr;

/// <summary>The layer-upload API and layer availability and download, and that /v2/ shares their blobs.</summary>
public sealed partial class LayerOperationsTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const int MiB = 1024 * 1024;
    private BerthHost _host = null!;
    private RegistryPusher _push = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        _push = new RegistryPusher(_host.Client);
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"layers"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task InitiateLayerUpload_returns_a_UUID_uploadId_and_the_part_size()
    {
        var started = await Ecr.OkAsync("InitiateLayerUpload", """{"repositoryName":"layers"}""");

        Assert.Matches(UuidPattern(), started.GetProperty("uploadId").GetString());
        Assert.Equal(10 * MiB, started.GetProperty("partSize").GetInt64());
        Assert.NotEqual(started.GetProperty("uploadId").GetString(), await StartAsync(Ecr));
        await Ecr.FailsAsync("InitiateLayerUpload", """{"repositoryName":"missing"}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task A_layer_uploaded_in_contiguous_inclusive_parts_is_served_by_v2()
    {
        // Every part but the last must be at least 5 MiB.
        var content = RegistryPusher.Bytes("parts", (5 * MiB) + 150);
        var uploadId = await StartAsync(Ecr);

        var first = await UploadPartAsync(Ecr, uploadId, 0, (5 * MiB) - 1, content[..(5 * MiB)]);
        var second = await UploadPartAsync(Ecr, uploadId, 5 * MiB, content.Length - 1, content[(5 * MiB)..]);

        Assert.Equal((5 * MiB) - 1, first.GetProperty("lastByteReceived").GetInt64());
        Assert.Equal(content.Length - 1, second.GetProperty("lastByteReceived").GetInt64());
        Assert.Equal(uploadId, second.GetProperty("uploadId").GetString());
        Assert.Equal(Account, second.GetProperty("registryId").GetString());
        Assert.Equal("layers", second.GetProperty("repositoryName").GetString());

        var digest = RegistryPusher.DigestOf(content);
        var completed = await Ecr.OkAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { digest } }));

        Assert.Equal(digest, completed.GetProperty("layerDigest").GetString());
        Assert.Equal(uploadId, completed.GetProperty("uploadId").GetString());
        Assert.Equal(Account, completed.GetProperty("registryId").GetString());
        Assert.Equal("layers", completed.GetProperty("repositoryName").GetString());
        using var blob = await _host.Client.GetAsync($"/v2/layers/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
        var layer = Assert.Single((await CheckAsync(digest)).GetProperty("layers").EnumerateArray());
        Assert.Equal("AVAILABLE", layer.GetProperty("layerAvailability").GetString());
        Assert.Equal(content.Length, layer.GetProperty("layerSize").GetInt64());
    }

    [Theory]
    [InlineData(101, 150, 50)]
    [InlineData(50, 149, 100)]
    [InlineData(100, 199, 50)]
    [InlineData(0, 99, 100)]
    public async Task UploadLayerPart_out_of_sequence_or_with_a_wrong_length_is_InvalidLayerPartException_saying_where_to_resume(long firstByte, long lastByte, int length)
    {
        var uploadId = await StartAsync(Ecr);
        await UploadPartAsync(Ecr, uploadId, 0, 99, RegistryPusher.Bytes("head", 100));

        var response = await Ecr.CallAsync("UploadLayerPart", Of(new
        {
            repositoryName = "layers",
            uploadId,
            partFirstByte = firstByte,
            partLastByte = lastByte,
            layerPartBlob = RegistryPusher.Bytes("bad", length),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidLayerPartException", response.ErrorType);
        Assert.Equal(99, response.Json.GetProperty("lastValidByteReceived").GetInt64());
        Assert.Equal(uploadId, response.Json.GetProperty("uploadId").GetString());
        Assert.Equal(Account, response.Json.GetProperty("registryId").GetString());
        Assert.Equal("layers", response.Json.GetProperty("repositoryName").GetString());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("message").GetString()));

        // The upload survives a refused part: the client resumes where it was told.
        Assert.Equal(149, (await UploadPartAsync(Ecr, uploadId, 100, 149, RegistryPusher.Bytes("tail", 50))).GetProperty("lastByteReceived").GetInt64());
    }

    [Fact]
    public async Task UploadLayerPart_to_an_unknown_upload_or_one_of_another_repository_is_UploadNotFoundException()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"other"}""");
        var elsewhere = (await Ecr.OkAsync("InitiateLayerUpload", """{"repositoryName":"other"}""")).GetProperty("uploadId").GetString()!;

        foreach (var uploadId in new[] { Guid.NewGuid().ToString(), elsewhere })
        {
            await Ecr.FailsAsync("UploadLayerPart", Of(new { repositoryName = "layers", uploadId, partFirstByte = 0, partLastByte = 0, layerPartBlob = new byte[] { 1 } }), "UploadNotFoundException");
            await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { RegistryPusher.DigestOf([1]) } }), "UploadNotFoundException");
        }
    }

    [Fact]
    public async Task CompleteLayerUpload_without_parts_is_EmptyUploadException_and_consumes_the_upload()
    {
        var uploadId = await StartAsync(Ecr);

        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { RegistryPusher.DigestOf([]) } }), "EmptyUploadException");

        await Ecr.FailsAsync("UploadLayerPart", Of(new { repositoryName = "layers", uploadId, partFirstByte = 0, partLastByte = 0, layerPartBlob = new byte[] { 1 } }), "UploadNotFoundException");
    }

    [Fact]
    public async Task CompleteLayerUpload_after_a_non_final_part_under_5_MiB_is_LayerPartTooSmallException()
    {
        var content = RegistryPusher.Bytes("small-parts", 2 * MiB);
        var uploadId = await StartAsync(Ecr);
        await UploadPartAsync(Ecr, uploadId, 0, MiB - 1, content[..MiB]);
        await UploadPartAsync(Ecr, uploadId, MiB, (2 * MiB) - 1, content[MiB..]);

        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { RegistryPusher.DigestOf(content) } }), "LayerPartTooSmallException");

        Assert.Equal("UNAVAILABLE", (await CheckAsync(RegistryPusher.DigestOf(content))).GetProperty("layers")[0].GetProperty("layerAvailability").GetString());
        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { RegistryPusher.DigestOf(content) } }), "UploadNotFoundException");
    }

    [Fact]
    public async Task CompleteLayerUpload_with_a_digest_other_than_the_contents_is_InvalidLayerException()
    {
        var content = RegistryPusher.Bytes("mismatch", 64);
        var claimed = RegistryPusher.DigestOf(RegistryPusher.Bytes("something else", 64));
        var uploadId = await StartAsync(Ecr);
        await UploadPartAsync(Ecr, uploadId, 0, 63, content);

        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { claimed } }), "InvalidLayerException");

        var layers = (await CheckAsync(claimed, RegistryPusher.DigestOf(content))).GetProperty("layers");
        Assert.All(layers.EnumerateArray(), l => Assert.Equal("UNAVAILABLE", l.GetProperty("layerAvailability").GetString()));
        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { RegistryPusher.DigestOf(content) } }), "UploadNotFoundException");
    }

    [Fact]
    public async Task CompleteLayerUpload_of_a_layer_already_in_the_repository_is_LayerAlreadyExistsException()
    {
        var content = RegistryPusher.Bytes("existing", 32);
        var digest = await _push.PushBlobAsync("layers", content);
        var uploadId = await StartAsync(Ecr);
        await UploadPartAsync(Ecr, uploadId, 0, 31, content);

        await Ecr.FailsAsync("CompleteLayerUpload", Of(new { repositoryName = "layers", uploadId, layerDigests = new[] { digest } }), "LayerAlreadyExistsException");
    }

    [Fact]
    public async Task CompleteLayerUpload_of_a_layer_only_another_repository_has_links_it_here()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"other"}""");
        var content = RegistryPusher.Bytes("shared", 48);
        var digest = await _push.PushBlobAsync("other", content);

        Assert.Equal(digest, await UploadLayerAsync(Ecr, "layers", content));

        using var blob = await _host.Client.GetAsync($"/v2/layers/blobs/{digest}");
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task BatchCheckLayerAvailability_sees_v2_blobs_and_reports_bad_digests_as_failures()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"other"}""");
        var here = await _push.PushBlobAsync("layers", RegistryPusher.Bytes("here", 77));
        var elsewhere = await _push.PushBlobAsync("other", RegistryPusher.Bytes("elsewhere", 5));
        var unknown = "sha256:" + new string('f', 64);

        var result = await CheckAsync(here, elsewhere, unknown, "not-a-digest", string.Empty);

        var layers = result.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal([here, elsewhere, unknown], layers.Select(l => l.GetProperty("layerDigest").GetString()));
        Assert.Equal(["AVAILABLE", "UNAVAILABLE", "UNAVAILABLE"], layers.Select(l => l.GetProperty("layerAvailability").GetString()));
        Assert.Equal(77, layers[0].GetProperty("layerSize").GetInt64());
        var failures = result.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(["InvalidLayerDigest", "MissingLayerDigest"], failures.Select(f => f.GetProperty("failureCode").GetString()));
        Assert.Equal("not-a-digest", failures[0].GetProperty("layerDigest").GetString());
        await Ecr.FailsAsync("BatchCheckLayerAvailability", Of(new { repositoryName = "missing", layerDigests = new[] { here } }), "RepositoryNotFoundException");
    }

    [Fact]
    public async Task GetDownloadUrlForLayer_gives_a_URL_that_works_without_credentials_in_sigv4_mode_and_not_when_tampered()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var credentials = new SigV4Credentials("AKIALAYERTESTS000001", "layer-tests-secret-0000000000000000000000", Account);
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey(credentials.AccessKeyId, credentials.SecretAccessKey, Account, DateTimeOffset.UtcNow), CancellationToken.None);
        var ecr = host.Ecr().WithCredentials(credentials);
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"signed"}""");
        var layer = RegistryPusher.Bytes("download", 300);
        var config = "{\"os\":\"linux\"}"u8.ToArray();
        var layerDigest = await UploadLayerAsync(ecr, "signed", layer);
        var configDigest = await UploadLayerAsync(ecr, "signed", config);
        var manifest = RegistryPusher.ImageManifest(
            new TestDescriptor(RegistryPusher.OciConfig, configDigest, config.Length),
            [new TestDescriptor(RegistryPusher.OciLayer, layerDigest, layer.Length)]);
        await ecr.OkAsync("PutImage", Of(new { repositoryName = "signed", imageManifest = manifest, imageTag = "v1" }));

        var answer = await ecr.OkAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "signed", layerDigest }));

        Assert.Equal(layerDigest, answer.GetProperty("layerDigest").GetString());
        var url = new Uri(answer.GetProperty("downloadUrl").GetString()!);
        Assert.Equal($"/v2/signed/blobs/{layerDigest}", url.AbsolutePath);
        // The host's client carries no credentials of its own; the signed calls above added theirs per request.
        var plain = host.Client;
        using (var download = await plain.GetAsync(url.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(layer, await download.Content.ReadAsByteArrayAsync());
        }

        var signature = Regex.Match(url.Query, "X-Berth-Signature=([0-9a-f]+)").Groups[1].Value;
        var tampered = url.PathAndQuery.Replace(signature, (signature[0] == 'a' ? "b" : "a") + signature[1..], StringComparison.Ordinal);
        using (var refused = await plain.GetAsync(tampered))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var otherBlob = await plain.GetAsync(url.PathAndQuery.Replace(layerDigest, configDigest, StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherBlob.StatusCode);
        }

        using (var unsigned = await plain.GetAsync(url.AbsolutePath))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }
    }

    [Fact]
    public async Task A_download_URL_stops_working_when_it_expires()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BerthHost.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(clock));
        await host.Ecr().OkAsync("CreateRepository", """{"repositoryName":"expiring"}""");
        var image = await new RegistryPusher(host.Client).PushImageAsync("expiring", "v1", "expiring");
        var url = new Uri((await host.Ecr().OkAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "expiring", layerDigest = image.Layers[0].Digest })))
            .GetProperty("downloadUrl").GetString()!);

        clock.Advance(TimeSpan.FromMinutes(59));
        using (var fresh = await host.Client.GetAsync(url.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        using var expired = await host.Client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task GetDownloadUrlForLayer_of_an_unreferenced_blob_is_LayerInaccessibleException_and_of_an_unknown_one_LayersNotFoundException()
    {
        var loose = await _push.PushBlobAsync("layers", RegistryPusher.Bytes("loose", 20));

        await Ecr.FailsAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "layers", layerDigest = loose }), "LayerInaccessibleException");
        await Ecr.FailsAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "layers", layerDigest = "sha256:" + new string('0', 64) }), "LayersNotFoundException");
        await Ecr.FailsAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "missing", layerDigest = loose }), "RepositoryNotFoundException");

        var image = await _push.PushImageAsync("layers", "v1", "referenced");
        await Ecr.OkAsync("GetDownloadUrlForLayer", Of(new { repositoryName = "layers", layerDigest = image.Layers[0].Digest }));
    }

    private static async Task<string> StartAsync(EcrClient ecr, string repository = "layers") =>
        (await ecr.OkAsync("InitiateLayerUpload", Of(new { repositoryName = repository }))).GetProperty("uploadId").GetString()!;

    private static Task<JsonElement> UploadPartAsync(EcrClient ecr, string uploadId, long firstByte, long lastByte, byte[] part, string repository = "layers") =>
        ecr.OkAsync("UploadLayerPart", Of(new { repositoryName = repository, uploadId, partFirstByte = firstByte, partLastByte = lastByte, layerPartBlob = part }));

    private static async Task<string> UploadLayerAsync(EcrClient ecr, string repository, byte[] content)
    {
        var uploadId = await StartAsync(ecr, repository);
        await UploadPartAsync(ecr, uploadId, 0, content.Length - 1, content, repository);
        var digest = RegistryPusher.DigestOf(content);
        await ecr.OkAsync("CompleteLayerUpload", Of(new { repositoryName = repository, uploadId, layerDigests = new[] { digest } }));
        return digest;
    }

    private Task<JsonElement> CheckAsync(params string[] digests) =>
        Ecr.OkAsync("BatchCheckLayerAvailability", Of(new { repositoryName = "layers", layerDigests = digests }));

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex UuidPattern();
}
