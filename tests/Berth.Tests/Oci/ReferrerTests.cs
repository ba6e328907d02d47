using System.Net;
using System.Text.Json;
using Berth.Domain;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;: the image index of manifests whose subject is the digest.</summary>
public sealed class ReferrerTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private const string SbomType = "application/vnd.example.sbom.v1";
    private const string SignatureConfigType = "application/vnd.example.signature.config.v1+json";

    private OciClient Oci => fixture.Oci;

    private sealed record Referrers(string Repository, ContentRef Subject, ContentRef Sbom, ContentRef Signature, ContentRef Index);

    /// <summary>A subject with three referrers: an artifact with artifactType, one typed by its config, and an index.</summary>
    private async Task<Referrers> PushReferrersAsync()
    {
        var repository = await fixture.CreateRepositoryAsync("referrers");
        var subject = await Oci.PushImageAsync(repository, "v1", "subject");
        var empty = await Oci.PushBlobAsync(repository, "{}", "application/vnd.oci.empty.v1+json");
        var sbom = await Oci.PushManifestAsync(
            repository,
            "sbom",
            TestManifests.Oci(empty, [], artifactType: SbomType, subject: subject, annotations: new Dictionary<string, string> { ["org.example.kind"] = "sbom" }),
            TestManifests.OciManifest);
        var signatureConfig = await Oci.PushBlobAsync(repository, "signature config", SignatureConfigType);
        var signature = await Oci.PushManifestAsync(
            repository,
            "signature",
            TestManifests.Oci(signatureConfig, [], subject: subject, annotations: new Dictionary<string, string> { ["org.example.signer"] = "ci" }),
            TestManifests.OciManifest);
        var index = await Oci.PushManifestAsync(
            repository,
            "index",
            TestManifests.Index([sbom], subject: subject, annotations: new Dictionary<string, string> { ["org.example.bundle"] = "yes" }),
            TestManifests.OciIndex);
        return new Referrers(repository, subject, sbom, signature, index);
    }

    private async Task<(HttpResponseMessage Response, JsonElement[] Manifests)> GetAsync(string path)
    {
        var response = await Oci.GetAsync(path);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, body.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(TestManifests.OciIndex, body.GetProperty("mediaType").GetString());
        return (response, body.GetProperty("manifests").EnumerateArray().ToArray());
    }

    private static JsonElement Entry(JsonElement[] manifests, ContentRef manifest) =>
        Assert.Single(manifests, m => m.GetProperty("digest").GetString() == manifest.Digest.ToString());

    [Fact]
    public async Task Referrers_are_an_OCI_index_with_artifact_types_and_annotations()
    {
        var pushed = await PushReferrersAsync();

        var (response, manifests) = await GetAsync($"/v2/{pushed.Repository}/referrers/{pushed.Subject.Digest}");

        using (response)
        {
            Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.ToString());
            Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        }

        Assert.Equal(3, manifests.Length);
        var sbom = Entry(manifests, pushed.Sbom);
        Assert.Equal(TestManifests.OciManifest, sbom.GetProperty("mediaType").GetString());
        Assert.Equal(pushed.Sbom.Size, sbom.GetProperty("size").GetInt64());
        Assert.Equal(SbomType, sbom.GetProperty("artifactType").GetString());
        Assert.Equal("""{"org.example.kind":"sbom"}""", sbom.GetProperty("annotations").GetRawText());

        var signature = Entry(manifests, pushed.Signature);
        Assert.Equal(SignatureConfigType, signature.GetProperty("artifactType").GetString());
        Assert.Equal("""{"org.example.signer":"ci"}""", signature.GetProperty("annotations").GetRawText());

        var index = Entry(manifests, pushed.Index);
        Assert.Equal(TestManifests.OciIndex, index.GetProperty("mediaType").GetString());
        Assert.Equal(pushed.Index.Size, index.GetProperty("size").GetInt64());
        Assert.False(index.TryGetProperty("artifactType", out _));
        Assert.Equal("""{"org.example.bundle":"yes"}""", index.GetProperty("annotations").GetRawText());
    }

    [Fact]
    public async Task ArtifactType_filter_is_applied_and_announced()
    {
        var pushed = await PushReferrersAsync();

        var (response, manifests) = await GetAsync($"/v2/{pushed.Repository}/referrers/{pushed.Subject.Digest}?artifactType={Uri.EscapeDataString(SbomType)}");

        using (response)
        {
            Assert.Equal("artifactType", OciAssert.Header(response, "OCI-Filters-Applied"));
        }

        Assert.Equal(pushed.Sbom.Digest.ToString(), Assert.Single(manifests).GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Filter_that_matches_nothing_gives_an_empty_list()
    {
        var pushed = await PushReferrersAsync();

        var (response, manifests) = await GetAsync($"/v2/{pushed.Repository}/referrers/{pushed.Subject.Digest}?artifactType=application/vnd.none");

        response.Dispose();
        Assert.Empty(manifests);
    }

    [Fact]
    public async Task Unknown_subject_is_200_with_an_empty_list()
    {
        var repository = await fixture.CreateRepositoryAsync();

        var (response, manifests) = await GetAsync($"/v2/{repository}/referrers/{Digest.Compute("nothing refers to this"u8)}");

        using (response)
        {
            Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.ToString());
        }

        Assert.Empty(manifests);
    }

    [Fact]
    public async Task Referrer_to_a_subject_never_pushed_is_listed()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var config = await Oci.PushBlobAsync(repository, "config", "application/vnd.example.config");
        var subject = new ContentRef(Digest.Compute("never pushed"u8), 12, TestManifests.OciManifest);
        var referrer = await Oci.PushManifestAsync(repository, "ref", TestManifests.Oci(config, [], subject: subject), TestManifests.OciManifest);

        var (response, manifests) = await GetAsync($"/v2/{repository}/referrers/{subject.Digest}");

        response.Dispose();
        Assert.Equal(referrer.Digest.ToString(), Assert.Single(manifests).GetProperty("digest").GetString());
        Assert.False(manifests[0].TryGetProperty("annotations", out _));
    }

    [Fact]
    public async Task Deleted_referrer_is_no_longer_listed()
    {
        var pushed = await PushReferrersAsync();
        using (var delete = await Oci.DeleteAsync($"/v2/{pushed.Repository}/manifests/{pushed.Signature.Digest}"))
        {
            await OciAssert.StatusAsync(delete, HttpStatusCode.Accepted);
        }

        var (response, manifests) = await GetAsync($"/v2/{pushed.Repository}/referrers/{pushed.Subject.Digest}");

        response.Dispose();
        Assert.Equal(2, manifests.Length);
        Assert.DoesNotContain(manifests, m => m.GetProperty("digest").GetString() == pushed.Signature.Digest.ToString());
    }

    [Fact]
    public async Task Malformed_digest_is_DIGEST_INVALID()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/referrers/sha256:nope");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Unknown_repository_is_NAME_UNKNOWN()
    {
        using var response = await Oci.GetAsync($"/v2/no-such-repo/referrers/{Digest.Compute("x"u8)}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }
}
