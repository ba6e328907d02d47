using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Tests.Storage;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>Garbage on the wire never makes a 500, and every error body has the OCI shape.</summary>
public sealed class RobustnessTests(RobustnessTests.Fixture fixture) : IClassFixture<RobustnessTests.Fixture>
{
    private const string Repository = "garbage/repo";
    private static readonly byte[] Blob = Encoding.ASCII.GetBytes("0123456789");

    /// <summary>A server with one repository holding a blob and a tagged image.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly OciFixture _inner = new();

        public OciClient Oci => _inner.Oci;

        public async Task InitializeAsync()
        {
            await _inner.InitializeAsync();
            await OciFixture.CreateRepositoryAsync(_inner.Ecr, Repository);
            await Oci.PushBlobAsync(Repository, Blob);
            await Oci.PushImageAsync(Repository, "latest", "garbage");
        }

        public Task DisposeAsync() => _inner.DisposeAsync();
    }

    public static TheoryData<string, string, string?, string?> Requests
    {
        get
        {
            var blob = $"/v2/{Repository}/blobs/{Digest.Compute(Blob)}";
            var data = new TheoryData<string, string, string?, string?>
            {
                { "PATCH", "{upload}", "Content-Range", "bytes=abc" },
                { "PATCH", "{upload}", "Content-Range", "0-9223372036854775807" },
                { "PATCH", "{upload}", "Content-Range", "99999999999999999999-99999999999999999999" },
                { "PATCH", "{upload}", "Content-Range", "9223372036854775806-9223372036854775807" },
                { "PATCH", "{upload}", "Content-Range", "-" },
                { "PATCH", "{upload}", "Content-Range", "0-0/0" },
                { "GET", blob, "Range", "bytes=99999999999999999999-" },
                { "GET", blob, "Range", "bytes=--1" },
                { "GET", blob, "Range", "bytes=5-2" },
                { "GET", blob, "Range", "bytes=-99999999999999999999" },
                { "GET", blob, "Range", "bytes=9223372036854775807-" },
                { "GET", $"/v2/{Repository}/tags/list?n=99999999999", null, null },
                { "GET", $"/v2/{Repository}/tags/list?n=2147483647", null, null },
                { "GET", $"/v2/{Repository}/tags/list?n=-1", null, null },
                { "GET", $"/v2/{Repository}/tags/list?last=%00%FF", null, null },
                { "GET", $"/v2/{Repository}/tags/list?last=" + new string('z', 5000), null, null },
                { "GET", "/v2/_catalog?n=99999999999", null, null },
                { "GET", "/v2/_catalog?n=2147483647&last=%00", null, null },
                { "GET", $"/v2/{Repository}/blobs/uploads/../x", null, null },
                { "GET", $"/v2/{Repository}/blobs/uploads/%2E%2E/x", null, null },
                { "GET", "/v2//manifests/x", null, null },
                { "GET", "/v2///", null, null },
                { "GET", "/v2/garbage%2Frepo/manifests/latest", null, null },
                { "GET", "/v2/garbage/repo%2Fmanifests%2Flatest", null, null },
                { "GET", $"/v2/{Repository}/manifests/", null, null },
                { "GET", $"/v2/{Repository}/manifests/sha256:", null, null },
                { "GET", $"/v2/{Repository}/manifests/:", null, null },
                { "GET", $"/v2/{Repository}/manifests/%FF%FE", null, null },
                { "GET", $"/v2/{Repository}/blobs/", null, null },
                { "GET", $"/v2/{Repository}/blobs/uploads/%FF", null, null },
                { "GET", $"/v2/{Repository}/referrers/", null, null },
                { "GET", $"/v2/{Repository}/referrers/sha512:abc", null, null },
                { "GET", "/v2/" + string.Join('/', Enumerable.Repeat("abcdefghij", 40)) + "/tags/list", null, null },
                { "GET", "/v2/_catalog/manifests/latest", null, null },
                { "GET", "/v2/tags/list", null, null },
                { "POST", $"/v2/{Repository}/blobs/uploads/?digest=sha256:", null, null },
                { "POST", $"/v2/{Repository}/blobs/uploads/?mount=sha256:zz&from=../../etc", null, null },
                { "POST", $"/v2/{Repository}/blobs/uploads/?mount={Digest.Compute(Blob)}&from=%00", null, null },
                { "PUT", "{upload}?digest=sha256:" + new string('0', 64), null, null },
                { "PUT", "{upload}?digest=sha999:" + new string('0', 64), null, null },
                { "PUT", "{upload}?digest=" + new string('x', 10000), null, null },
                { "PUT", $"/v2/{Repository}/manifests/latest", "Content-Type", "application/vnd.oci.image.manifest.v1+json; charset=\"" + new string('x', 2000) },
                { "PUT", $"/v2/{Repository}/manifests/latest", "Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws" },
                { "DELETE", $"/v2/{Repository}/manifests/sha256:" + new string('f', 64), null, null },
                { "DELETE", "/v2/", null, null },
                { "OPTIONS", $"/v2/{Repository}/manifests/latest", null, null },
                { "TRACE", $"/v2/{Repository}/blobs/{Digest.Compute(Blob)}", null, null },
            };
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Garbage_never_causes_a_server_error(string method, string path, string? header, string? value)
    {
        if (path.Contains("{upload}", StringComparison.Ordinal))
        {
            // Each case gets a live session of its own, so it reaches the code past the session lookup.
            path = path.Replace("{upload}", await fixture.Oci.StartUploadAsync(Repository), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "PATCH" or "PUT")
        {
            // A body of unknown length arrives chunked, as docker streams it, so nothing checks it against a Content-Length.
            request.Content = new StreamContent(new PatternStream(10, 1));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        if (header is not null && !request.Headers.TryAddWithoutValidation(header, value))
        {
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.Remove(header);
            Assert.True(request.Content.Headers.TryAddWithoutValidation(header, value));
        }

        using var response = await fixture.Oci.Http.SendAsync(request);

        Assert.True((int)response.StatusCode < 500, $"{method} {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
            Assert.Matches("^[A-Z_]+$", error.GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        }
    }
}
