using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Domain.PullThrough;

namespace Berth.Tests.Domain.PullThrough;

/// <summary>
/// The upstream client's authentication: anonymous, Basic on a Basic challenge, and the bearer-token dance (realm,
/// service and scope, the credential sent only to the realm, the token reused until it expires).
/// </summary>
public sealed class UpstreamClientTests
{
    private static readonly UpstreamCredential Alice = new("alice", "token-1");
    private static readonly string AliceBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:token-1"));
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""");

    [Fact]
    public async Task A_bearer_challenge_is_answered_at_the_realm_with_the_credential_and_the_token_is_reused()
    {
        var upstream = new ScriptedRegistry(request =>
        {
            if (request.RequestUri!.Host == "auth.test")
            {
                Assert.Equal(AliceBasic, request.Headers.Authorization?.ToString());
                Assert.Equal("?service=registry.test&scope=repository%3Alib%2Fapp%3Apull", request.RequestUri.Query);
                return Json("""{"token":"T1","expires_in":300}""");
            }

            if (request.Headers.Authorization?.ToString() != "Bearer T1")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://auth.test/token\",service=\"registry.test\",scope=\"repository:lib/app:pull\"");
                return challenge;
            }

            return ManifestResponse();
        });
        var client = new UpstreamClient(new HttpClient(upstream), TimeProvider.System);
        var target = new UpstreamTarget(new Uri("https://registry.test/"), "lib/app", Alice);

        var first = await client.GetManifestAsync(target, "v1", CancellationToken.None);
        var second = await client.GetManifestAsync(target, "v1", CancellationToken.None);

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(Digest.Compute(Manifest), second.Value.Digest);
        // Challenge, token, retry; then the kept token goes first.
        Assert.Equal(["registry.test", "auth.test", "registry.test", "registry.test"], upstream.Hosts);
    }

    [Fact]
    public async Task A_basic_challenge_is_answered_with_the_credential_and_a_refusal_names_the_upstream()
    {
        var upstream = new ScriptedRegistry(request =>
        {
            if (request.Headers.Authorization?.ToString() == AliceBasic)
            {
                return ManifestResponse();
            }

            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"registry\"");
            return challenge;
        });
        var client = new UpstreamClient(new HttpClient(upstream), TimeProvider.System);

        Assert.True((await client.GetManifestAsync(new UpstreamTarget(new Uri("http://mirror.test:5000/"), "app", Alice), "v1", CancellationToken.None)).IsSuccess);
        var anonymous = await client.GetManifestAsync(new UpstreamTarget(new Uri("http://mirror.test:5000/"), "app", null), "v1", CancellationToken.None);
        Assert.Equal(ErrorCode.UpstreamImageUnavailable, anonymous.Error!.Code);
        Assert.Contains("http://mirror.test:5000/app", anonymous.Error.Message, StringComparison.Ordinal);
        Assert.Contains("401", anonymous.Error.Message, StringComparison.Ordinal);
        Assert.Null(await client.CheckAsync(new UpstreamTarget(new Uri("http://mirror.test:5000/"), null, Alice), CancellationToken.None));
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_match_the_digest_asked_for_is_refused()
    {
        var client = new UpstreamClient(new HttpClient(new ScriptedRegistry(_ => ManifestResponse())), TimeProvider.System);
        var other = Digest.Compute("something else"u8.ToArray());

        var fetched = await client.GetManifestAsync(new UpstreamTarget(new Uri("https://registry.test/"), "app", null), other.ToString(), CancellationToken.None);

        Assert.Equal(ErrorCode.UpstreamImageUnavailable, fetched.Error!.Code);
    }

    [Theory]
    [InlineData("quay.io", null, "quay")]
    [InlineData("registry-1.docker.io", null, "docker-hub")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", null, "ecr")]
    [InlineData("myreg.azurecr.io", "azure-container-registry", "azure-container-registry")]
    [InlineData("http://127.0.0.1:5000", null, "generic")]
    [InlineData("mirror.internal:5000", "generic", "generic")]
    [InlineData("quay.io", "docker-hub", null)]
    [InlineData("example.com", null, null)]
    [InlineData("ftp://example.com", "generic", null)]
    public void Upstream_kinds_follow_the_url(string url, string? declared, string? expected) =>
        Assert.Equal(expected, UpstreamRegistries.Resolve(url, declared, out _));

    private static HttpResponseMessage ManifestResponse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Manifest) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        return response;
    }

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Answers each request with the script's response and records which host it went to.</summary>
    private sealed class ScriptedRegistry(Func<HttpRequestMessage, HttpResponseMessage> script) : HttpMessageHandler
    {
        public List<string> Hosts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Hosts)
            {
                Hosts.Add(request.RequestUri!.Host);
            }

            return Task.FromResult(script(request));
        }
    }
}
