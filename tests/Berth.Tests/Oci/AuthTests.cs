using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Oci;

/// <summary>/v2/ base endpoint and ECR registry auth: Basic <c>AWS:&lt;password&gt;</c> from GetAuthorizationToken.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string AccountA = "111111111111";
    private const string AccountB = "222222222222";

    private BerthHost _host = null!;
    private EcrClient _ecrA = null!;
    private EcrClient _ecrB = null!;

    private OciClient Anonymous => new(_host.Client);

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.SigV4);
        _ecrA = await SigningClientAsync("AKIAOCITESTACCOUNTA1", AccountA);
        _ecrB = await SigningClientAsync("AKIAOCITESTACCOUNTB1", AccountB);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<EcrClient> SigningClientAsync(string accessKeyId, string accountId)
    {
        var secret = "secret-of-" + accountId;
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        await store.AccessKeys.AddAsync(new AccessKey(accessKeyId, secret, accountId, DateTimeOffset.UtcNow), CancellationToken.None);
        return _host.Ecr().WithCredentials(new SigV4Credentials(accessKeyId, secret, accountId));
    }

    private static async Task<string> TokenAsync(EcrClient ecr)
    {
        var response = await ecr.OkAsync("GetAuthorizationToken");
        return response.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
    }

    private OciClient As(string token) => new OciClient(_host.Client).WithAuthorization("Basic " + token);

    [Fact]
    public async Task Base_endpoint_is_200_with_the_API_version_header_in_open_mode()
    {
        await using var open = await BerthHost.StartAsync();

        using var response = await new OciClient(open.Client).GetAsync("/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var withoutSlash = await new OciClient(open.Client).GetAsync("/v2");
        await OciAssert.StatusAsync(withoutSlash, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_base_request_is_401_with_a_Basic_challenge_and_UNAUTHORIZED()
    {
        using var response = await Anonymous.GetAsync("/v2/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Basic realm=\"http://registry.test:5000/\",service=\"ecr.amazonaws.com\"", OciAssert.Header(response, "WWW-Authenticate"));
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
    }

    [Fact]
    public async Task Anonymous_push_is_refused_before_any_upload_state()
    {
        await FixtureRepositoryAsync(_ecrA, "anon-push");

        using var response = await Anonymous.PostAsync("/v2/anon-push/blobs/uploads/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.False(response.Headers.Contains("Location"));
    }

    [Fact]
    public async Task Token_from_GetAuthorizationToken_works_as_Basic_credentials()
    {
        await FixtureRepositoryAsync(_ecrA, "team/app");
        var token = await TokenAsync(_ecrA);
        Assert.StartsWith("AWS:", Encoding.UTF8.GetString(Convert.FromBase64String(token)), StringComparison.Ordinal);
        var oci = As(token);

        using var root = await oci.GetAsync("/v2/");
        await OciAssert.StatusAsync(root, HttpStatusCode.OK);

        var blob = await oci.PushBlobAsync("team/app", "authorized bytes");
        using var read = await oci.GetAsync($"/v2/team/app/blobs/{blob.Digest}");
        await OciAssert.StatusAsync(read, HttpStatusCode.OK);
        Assert.Equal("authorized bytes", await read.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tampered_token_is_401()
    {
        var token = await TokenAsync(_ecrA);
        foreach (var position in new[] { 8, token.Length / 2, token.Length - 6 })
        {
            var flipped = token.ToCharArray();
            flipped[position] = flipped[position] == 'A' ? 'B' : 'A';

            using var response = await As(new string(flipped)).GetAsync("/v2/");

            await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.True(response.Headers.Contains("WWW-Authenticate"));
        }
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4, configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var store = host.Services.GetRequiredService<IMetadataStore>();
        await store.AccessKeys.AddAsync(new AccessKey("AKIAOCITESTEXPIRY001", "expiry-secret", AccountA, clock.UtcNow), CancellationToken.None);
        var token = await TokenAsync(host.Ecr().WithCredentials(new SigV4Credentials("AKIAOCITESTEXPIRY001", "expiry-secret", AccountA)));
        var oci = new OciClient(host.Client).WithAuthorization("Basic " + token);
        using (var fresh = await oci.GetAsync("/v2/"))
        {
            await OciAssert.StatusAsync(fresh, HttpStatusCode.OK);
        }

        clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));

        using var expired = await oci.GetAsync("/v2/");
        await OciAssert.ErrorAsync(expired, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("AWS4-HMAC-SHA256 Credential=x")]
    public async Task Malformed_credentials_are_401(string header)
    {
        using var response = await Anonymous.WithAuthorization(header).GetAsync("/v2/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_valid_password_under_another_user_name_is_401()
    {
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(await TokenAsync(_ecrA)))["AWS:".Length..];
        var other = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password));

        using var response = await As(other).GetAsync("/v2/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_token_sees_only_its_own_account()
    {
        await FixtureRepositoryAsync(_ecrA, "mine-a");
        await FixtureRepositoryAsync(_ecrB, "theirs-b");
        var a = As(await TokenAsync(_ecrA));
        var b = As(await TokenAsync(_ecrB));
        await b.PushImageAsync("theirs-b", "v1", "b's image");

        using var own = await a.GetAsync("/v2/mine-a/tags/list");
        await OciAssert.StatusAsync(own, HttpStatusCode.OK);
        using var tags = await a.GetAsync("/v2/theirs-b/tags/list");
        await OciAssert.ErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var manifest = await a.GetAsync("/v2/theirs-b/manifests/v1");
        await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var upload = await a.PostAsync("/v2/theirs-b/blobs/uploads/");
        await OciAssert.ErrorAsync(upload, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task A_blob_cannot_be_mounted_from_another_accounts_repository()
    {
        await FixtureRepositoryAsync(_ecrA, "mount-source");
        await FixtureRepositoryAsync(_ecrB, "mount-target");
        var a = As(await TokenAsync(_ecrA));
        var b = As(await TokenAsync(_ecrB));
        var blob = await a.PushBlobAsync("mount-source", "a's secret layer");

        using var mount = await b.PostAsync($"/v2/mount-target/blobs/uploads/?mount={blob.Digest}&from=mount-source");

        await OciAssert.StatusAsync(mount, HttpStatusCode.Accepted);
        using var read = await b.GetAsync($"/v2/mount-target/blobs/{blob.Digest}");
        await OciAssert.ErrorAsync(read, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Catalog_lists_only_the_callers_account()
    {
        await FixtureRepositoryAsync(_ecrA, "catalog-a1");
        await FixtureRepositoryAsync(_ecrA, "catalog-a2");
        await FixtureRepositoryAsync(_ecrB, "catalog-b1");

        using var response = await As(await TokenAsync(_ecrB)).GetAsync("/v2/_catalog");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = body.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("catalog-b1", names);
        Assert.DoesNotContain("catalog-a1", names);
        Assert.DoesNotContain("catalog-a2", names);
    }

    private static Task FixtureRepositoryAsync(EcrClient ecr, string name) => OciFixture.CreateRepositoryAsync(ecr, name);
}
