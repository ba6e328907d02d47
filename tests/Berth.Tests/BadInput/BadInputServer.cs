using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Ecr;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.BadInput;

/// <summary>
/// One Berth server for the whole bad-input suite: in-process but on a real loopback port (Kestrel, not TestServer),
/// in sigv4 mode with a known key, seeded with a small registry the malformed requests aim at.
/// </summary>
public sealed class BadInputServer : IAsyncLifetime
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public const string Repository = "seed/app";
    public const string EmptyRepository = "seed/empty";
    public const string Tag = "v1";

    /// <summary>A well-formed upload or session id that no upload has.</summary>
    public const string UnknownId = "0b7e5e2a-3c1d-4f6a-9b8c-7d6e5f4a3b2c";

    private readonly TempDirectory _data = new();
    private WebApplication? _app;

    public SigV4Credentials Credentials { get; } = new("AKIABADINPUTTESTS001", "bad-input-secret-0000000000000000000000", Account);

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public string Endpoint { get; private set; } = string.Empty;

    public string DataDir => _data.Path;

    /// <summary>The Basic credentials /v2/ accepts: <c>base64(AWS:&lt;token&gt;)</c>.</summary>
    public string Token { get; private set; } = string.Empty;

    public PushedSeed Seed { get; private set; } = null!;

    /// <summary>The path of an upload session that holds 3 bytes.</summary>
    public string OpenUpload { get; private set; } = string.Empty;

    /// <summary>The path of an upload session that has been completed.</summary>
    public string FinishedUpload { get; private set; } = string.Empty;

    /// <summary>An ECR upload id (InitiateLayerUpload) still open, with no parts.</summary>
    public string EcrUploadId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Berth:Auth"] = "sigv4",
            ["Berth:DataDir"] = _data.Path,
            ["Berth:AccountId"] = Account,
            ["Berth:Listen"] = Endpoint,
        }).Build();
        var builder = BerthApp.CreateBuilder(configuration);
        // BuildAsync makes (and prints) a first key; the suite signs with one of its own, added before serving.
        _app = await BerthApp.BuildAsync(builder, CancellationToken.None);
        await _app.Services.GetRequiredService<AccessKeyService>().AddAsync(
            new AccessKey(Credentials.AccessKeyId, Credentials.SecretAccessKey, Account, DateTimeOffset.UtcNow), CancellationToken.None);
        await _app.StartAsync();

        var token = await EcrOkAsync("GetAuthorizationToken", "{}");
        Token = token.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        Seed = await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _data.Dispose();
    }

    public Uri Url(string pathAndQuery) => new(Endpoint + pathAndQuery);

    /// <summary>An ECR call as botocore sends it: JSON content type, the target, signed with the suite's key.</summary>
    public HttpRequestMessage EcrRequest(string operation, byte[] body, string contentType = EcrEndpoint.ContentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url("/")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", EcrClient.TargetPrefix + operation);
        SigV4Signer.Sign(request, body, Credentials, Region, DateTimeOffset.UtcNow);
        return request;
    }

    /// <summary>A /v2/ request with the suite's registry token.</summary>
    public HttpRequestMessage OciRequest(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, Url(path)) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Token);
        return request;
    }

    public async Task<JsonElement> EcrOkAsync(string operation, string json)
    {
        using var request = EcrRequest(operation, Encoding.UTF8.GetBytes(json));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Proves the server still answers both protocols, through authentication and storage.</summary>
    public async Task AssertServingAsync()
    {
        var repositories = await EcrOkAsync("DescribeRepositories", $$"""{"repositoryNames":["{{Repository}}"]}""");
        Assert.Equal(Repository, repositories.GetProperty("repositories")[0].GetProperty("repositoryName").GetString());
        using var request = OciRequest(HttpMethod.Head, $"/v2/{Repository}/manifests/{Tag}");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<PushedSeed> SeedAsync()
    {
        await EcrOkAsync("CreateRepository", $$"""{"repositoryName":"{{Repository}}","tags":[{"Key":"team","Value":"seed"}]}""");
        await EcrOkAsync("CreateRepository", $$"""{"repositoryName":"{{EmptyRepository}}"}""");
        await EcrOkAsync("PutLifecyclePolicy", $$"""{"repositoryName":"{{Repository}}","lifecyclePolicyText":{{JsonSerializer.Serialize(LifecyclePolicy)}}}""");

        using var v2 = new HttpClient { BaseAddress = new Uri(Endpoint) };
        var oci = new OciClient(v2, "Basic " + Token);
        var config = await oci.PushBlobAsync(Repository, """{"seed":"bad-input"}""", TestManifests.OciConfig);
        var layer = await oci.PushBlobAsync(Repository, "layer of bad-input");
        var manifest = TestManifests.Oci(config, [layer]);
        var image = await oci.PushManifestAsync(Repository, Tag, manifest, TestManifests.OciManifest);

        OpenUpload = await oci.StartUploadAsync(Repository);
        using (var patched = await oci.PatchAsync(OpenUpload, "abc"u8.ToArray(), "0-2"))
        {
            await OciAssert.StatusAsync(patched, HttpStatusCode.Accepted);
        }

        FinishedUpload = await oci.StartUploadAsync(Repository);
        var finishedBytes = "finished"u8.ToArray();
        using (var finished = await oci.PutAsync(OciClient.WithQuery(FinishedUpload, "digest", Digest.Compute(finishedBytes).ToString()), finishedBytes))
        {
            await OciAssert.StatusAsync(finished, HttpStatusCode.Created);
        }

        var initiated = await EcrOkAsync("InitiateLayerUpload", $$"""{"repositoryName":"{{Repository}}"}""");
        EcrUploadId = initiated.GetProperty("uploadId").GetString()!;

        // A pull records its time at most every 10 minutes: pull once now, so the cases' reads change nothing.
        using (var pulled = await oci.GetAsync($"/v2/{Repository}/manifests/{Tag}"))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        }

        return new PushedSeed(image, manifest, config, layer);
    }

    /// <summary>A valid policy of more than the model's 100-character minimum.</summary>
    public const string LifecyclePolicy =
        """{"rules":[{"rulePriority":1,"description":"expire old","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]}""";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>What the seed pushed: an image tagged <see cref="BadInputServer.Tag"/>, its config and its layer.</summary>
public sealed record PushedSeed(ContentRef Image, string Manifest, ContentRef Config, ContentRef Layer);

/// <summary>The bad-input classes share one server and run one after another, so each case sees only its own effects.</summary>
[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<BadInputServer>
{
    public const string Name = "Bad input";
}
