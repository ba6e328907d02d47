using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Oci;

/// <summary>Manifest PUT, GET, HEAD and DELETE by tag and by digest, for every manifest type, and their errors.</summary>
public sealed class ManifestTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private OciClient Oci => fixture.Oci;

    private async Task<(ContentRef Config, ContentRef Layer)> BlobsAsync(string repository, string seed, bool docker = false)
    {
        var config = await Oci.PushBlobAsync(repository, $$"""{"architecture":"amd64","seed":"{{seed}}"}""", docker ? TestManifests.DockerConfig : TestManifests.OciConfig);
        var layer = await Oci.PushBlobAsync(repository, "layer " + seed, docker ? TestManifests.DockerLayer : TestManifests.OciLayer);
        return (config, layer);
    }

    private async Task<string> ManifestJsonAsync(string repository, string mediaType, string seed)
    {
        var docker = mediaType == TestManifests.DockerManifest;
        var (config, layer) = await BlobsAsync(repository, seed, docker);
        return docker ? TestManifests.Docker(config, layer) : TestManifests.Oci(config, [layer]);
    }

    private async Task AssertManifestAsync(string repository, string reference, byte[] expected, string mediaType)
    {
        using var response = await Oci.GetAsync($"/v2/{repository}/manifests/{reference}");
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Digest.Compute(expected).ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
    }

    private async Task AssertManifestUnknownAsync(string repository, string reference)
    {
        using var response = await Oci.GetAsync($"/v2/{repository}/manifests/{reference}");
        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Theory]
    [InlineData(TestManifests.DockerManifest)]
    [InlineData(TestManifests.OciManifest)]
    public async Task PUT_by_tag_stores_the_exact_bytes_and_GET_returns_them(string mediaType)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, mediaType, "put-by-tag");
        // Odd but valid whitespace must survive byte for byte: the digest is over these bytes.
        var bytes = Encoding.UTF8.GetBytes("\n  " + json.Replace(",", " ,\t", StringComparison.Ordinal) + "\r\n ");
        var digest = Digest.Compute(bytes);

        using var put = await Oci.PutManifestAsync(repository, "v1", bytes, mediaType);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", put.Headers.Location!.OriginalString);
        Assert.Equal(digest.ToString(), OciAssert.Header(put, "Docker-Content-Digest"));
        Assert.False(put.Headers.Contains("OCI-Subject"));
        await AssertManifestAsync(repository, "v1", bytes, mediaType);
        await AssertManifestAsync(repository, digest.ToString(), bytes, mediaType);
    }

    [Theory]
    [InlineData(TestManifests.DockerManifest)]
    [InlineData(TestManifests.OciManifest)]
    public async Task PUT_by_digest_stores_an_untagged_manifest(string mediaType)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, mediaType, "put-by-digest");
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = Digest.Compute(bytes);

        using var put = await Oci.PutManifestAsync(repository, digest.ToString(), bytes, mediaType);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", put.Headers.Location!.OriginalString);
        await AssertManifestAsync(repository, digest.ToString(), bytes, mediaType);
        using var tags = await Oci.GetAsync($"/v2/{repository}/tags/list");
        Assert.Equal($$"""{"name":"{{repository}}","tags":[]}""", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HEAD_has_the_GET_headers_and_no_body()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var manifest = await Oci.PushImageAsync(repository, "v1", "head");

        using var response = await Oci.HeadAsync($"/v2/{repository}/manifests/v1");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(TestManifests.OciManifest, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(manifest.Digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal(manifest.Size, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData(TestManifests.OciIndex, TestManifests.OciManifest)]
    [InlineData(TestManifests.DockerList, TestManifests.DockerManifest)]
    public async Task Index_whose_children_exist_is_stored_and_served(string indexType, string childType)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var amd64 = await Oci.PushManifestAsync(repository, "amd64", await ManifestJsonAsync(repository, childType, "amd64"), childType);
        var arm64 = await Oci.PushManifestAsync(repository, "arm64", await ManifestJsonAsync(repository, childType, "arm64"), childType);
        var json = TestManifests.Index([amd64, arm64], indexType);

        var index = await Oci.PushManifestAsync(repository, "multi", json, indexType);

        await AssertManifestAsync(repository, "multi", Encoding.UTF8.GetBytes(json), indexType);
        await AssertManifestAsync(repository, index.Digest.ToString(), Encoding.UTF8.GetBytes(json), indexType);
    }

    [Theory]
    [InlineData(TestManifests.OciIndex, TestManifests.OciManifest)]
    [InlineData(TestManifests.DockerList, TestManifests.DockerManifest)]
    public async Task Index_with_a_missing_child_is_400_MANIFEST_UNKNOWN(string indexType, string childType)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var present = await Oci.PushManifestAsync(repository, "amd64", await ManifestJsonAsync(repository, childType, "amd64"), childType);
        var absent = new ContentRef(Digest.Compute("never pushed"u8), 500, childType);

        using var response = await Oci.PutManifestAsync(repository, "multi", TestManifests.Index([present, absent], indexType), indexType);

        var message = await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_UNKNOWN");
        Assert.Contains(absent.Digest.ToString(), message, StringComparison.Ordinal);
        await AssertManifestUnknownAsync(repository, "multi");
    }

    [Fact]
    public async Task Manifest_with_a_missing_layer_is_MANIFEST_BLOB_UNKNOWN_and_stores_nothing()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var (config, _) = await BlobsAsync(repository, "missing-layer");
        var missing = new ContentRef(Digest.Compute("never uploaded"u8), 14, TestManifests.OciLayer);
        var json = TestManifests.Oci(config, [missing]);

        using var response = await Oci.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        var message = await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Contains(missing.Digest.ToString(), message, StringComparison.Ordinal);
        await AssertManifestUnknownAsync(repository, "v1");
        await AssertManifestUnknownAsync(repository, Digest.Compute(Encoding.UTF8.GetBytes(json)).ToString());
    }

    [Fact]
    public async Task Manifest_with_a_config_only_in_another_repository_is_MANIFEST_BLOB_UNKNOWN()
    {
        var elsewhere = await fixture.CreateRepositoryAsync("elsewhere");
        var repository = await fixture.CreateRepositoryAsync();
        var (config, _) = await BlobsAsync(elsewhere, "cross");
        var layer = await Oci.PushBlobAsync(repository, "own layer");

        using var response = await Oci.PutManifestAsync(repository, "v1", TestManifests.Oci(config, [layer]), TestManifests.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task PUT_under_a_digest_that_does_not_match_the_bytes_is_DIGEST_INVALID()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, TestManifests.OciManifest, "mismatch");
        var wrong = Digest.Compute("other bytes"u8);

        using var response = await Oci.PutManifestAsync(repository, wrong.ToString(), json, TestManifests.OciManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertManifestUnknownAsync(repository, wrong.ToString());
        await AssertManifestUnknownAsync(repository, Digest.Compute(Encoding.UTF8.GetBytes(json)).ToString());
    }

    [Theory]
    [InlineData("{", TestManifests.OciManifest)]
    [InlineData("", TestManifests.OciManifest)]
    [InlineData("[]", TestManifests.OciManifest)]
    [InlineData("""{"schemaVersion":1,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""", TestManifests.OciManifest)]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{}}""", TestManifests.OciManifest)]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""", TestManifests.OciManifest)]
    [InlineData("""{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}""", "application/vnd.docker.distribution.manifest.v1+json")]
    [InlineData("""{"schemaVersion":2,"manifests":[],"layers":[]}""", null)]
    [InlineData("""{"schemaVersion":2,"mediaType":"text/plain"}""", "text/plain")]
    public async Task Invalid_manifest_is_MANIFEST_INVALID(string body, string? contentType)
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.PutManifestAsync(repository, "bad", body, contentType);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await AssertManifestUnknownAsync(repository, "bad");
    }

    [Fact]
    public async Task Manifest_over_4_MiB_is_413_and_one_of_exactly_4_MiB_is_accepted()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, TestManifests.OciManifest, "size-limit");
        const int limit = 4 * 1024 * 1024;
        var atLimit = Encoding.UTF8.GetBytes(json + new string(' ', limit - json.Length));
        var overLimit = Encoding.UTF8.GetBytes(json + new string(' ', limit - json.Length + 1));

        using (var over = await Oci.PutManifestAsync(repository, "big", overLimit, TestManifests.OciManifest))
        {
            await OciAssert.ErrorAsync(over, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
        }

        await AssertManifestUnknownAsync(repository, "big");
        using var at = await Oci.PutManifestAsync(repository, "big", atLimit, TestManifests.OciManifest);
        await OciAssert.StatusAsync(at, HttpStatusCode.Created);
        await AssertManifestAsync(repository, "big", atLimit, TestManifests.OciManifest);
    }

    [Fact]
    public async Task Content_Type_parameters_are_ignored_and_never_served()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, TestManifests.OciManifest, "charset");

        using var put = await Oci.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest + "; charset=utf-8");

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertManifestAsync(repository, "v1", Encoding.UTF8.GetBytes(json), TestManifests.OciManifest);
    }

    [Fact]
    public async Task Manifest_without_a_mediaType_field_is_served_with_its_Content_Type()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var (config, layer) = await BlobsAsync(repository, "no-media-type");
        var json = TestManifests.Oci(config, [layer]).Replace($"\"mediaType\":\"{TestManifests.OciManifest}\",", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(TestManifests.OciManifest, json, StringComparison.Ordinal);

        using var put = await Oci.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertManifestAsync(repository, "v1", Encoding.UTF8.GetBytes(json), TestManifests.OciManifest);
    }

    [Fact]
    public async Task PUT_with_a_subject_answers_OCI_Subject_even_when_the_subject_is_absent()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var config = await Oci.PushBlobAsync(repository, "{}", "application/vnd.example.sbom.config");
        var subject = new ContentRef(Digest.Compute("subject pushed later"u8), 123, TestManifests.OciManifest);

        using var put = await Oci.PutManifestAsync(repository, "sbom", TestManifests.Oci(config, [], subject: subject), TestManifests.OciManifest);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(subject.Digest.ToString(), OciAssert.Header(put, "OCI-Subject"));
    }

    [Fact]
    public async Task PUT_of_an_index_with_a_subject_answers_OCI_Subject()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var subject = await Oci.PushImageAsync(repository, "v1", "index-subject");
        var child = await Oci.PushImageAsync(repository, "child", "index-child-of-subject");

        using var put = await Oci.PutManifestAsync(repository, "bundle", TestManifests.Index([child], subject: subject), TestManifests.OciIndex);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(subject.Digest.ToString(), OciAssert.Header(put, "OCI-Subject"));
    }

    [Fact]
    public async Task GET_records_a_pull_and_HEAD_does_not()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var manifest = await Oci.PushImageAsync(repository, "v1", "pulls");
        var store = fixture.Host.Services.GetRequiredService<IMetadataStore>();
        var key = new RepositoryKey(fixture.Host.Options.AccountId, fixture.Host.Options.Region, repository);

        using (var head = await Oci.HeadAsync($"/v2/{repository}/manifests/v1"))
        {
            await OciAssert.StatusAsync(head, HttpStatusCode.OK);
        }

        Assert.Null((await store.Images.GetImageAsync(key, manifest.Digest, CancellationToken.None))!.LastPulledAt);
        using (var get = await Oci.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await OciAssert.StatusAsync(get, HttpStatusCode.OK);
        }

        Assert.NotNull((await store.Images.GetImageAsync(key, manifest.Digest, CancellationToken.None))!.LastPulledAt);
    }

    [Theory]
    [InlineData("-invalid")]
    [InlineData(".hidden")]
    [InlineData("tag!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Invalid_tag_is_404_MANIFEST_UNKNOWN_on_GET_and_HEAD_and_TAG_INVALID_on_PUT(string tag)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var json = await ManifestJsonAsync(repository, TestManifests.OciManifest, "invalid-tag");

        await AssertManifestUnknownAsync(repository, tag);
        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/{tag}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var put = await Oci.PutManifestAsync(repository, tag, json, TestManifests.OciManifest);
        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task Unknown_tag_or_digest_is_MANIFEST_UNKNOWN()
    {
        var repository = await fixture.CreateRepositoryAsync();

        await AssertManifestUnknownAsync(repository, "latest");
        await AssertManifestUnknownAsync(repository, Digest.Compute("nothing"u8).ToString());
        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Malformed_digest_reference_is_DIGEST_INVALID()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/manifests/sha256:totallywrong");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Unknown_repository_is_NAME_UNKNOWN()
    {
        using var get = await Oci.GetAsync("/v2/no-such-repo/manifests/latest");
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var put = await Oci.PutManifestAsync("no-such-repo", "latest", """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""", TestManifests.OciManifest);
        await OciAssert.ErrorAsync(put, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var delete = await Oci.DeleteAsync("/v2/no-such-repo/manifests/latest");
        await OciAssert.ErrorAsync(delete, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Theory]
    [InlineData("/v2/UPPER/manifests/latest")]
    [InlineData("/v2/a..b/manifests/latest")]
    [InlineData("/v2/a/manifests/latest")]
    [InlineData("/v2/-lead/tags/list")]
    [InlineData("/v2/trail-/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    [InlineData("/v2/a__-b/blobs/uploads/")]
    [InlineData("/v2/Team/App/referrers/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    public async Task Invalid_repository_name_is_NAME_INVALID(string path)
    {
        using var response = await Oci.GetAsync(path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task DELETE_by_tag_removes_only_that_tag()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var manifest = await Oci.PushImageAsync(repository, "v1", "delete-tag");
        using (var v1 = await Oci.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await Oci.PushManifestAsync(repository, "latest", await v1.Content.ReadAsStringAsync(), TestManifests.OciManifest);
        }

        using (var delete = await Oci.DeleteAsync($"/v2/{repository}/manifests/v1"))
        {
            await OciAssert.StatusAsync(delete, HttpStatusCode.Accepted);
        }

        await AssertManifestUnknownAsync(repository, "v1");
        using var latest = await Oci.GetAsync($"/v2/{repository}/manifests/latest");
        await OciAssert.StatusAsync(latest, HttpStatusCode.OK);
        using var byDigest = await Oci.GetAsync($"/v2/{repository}/manifests/{manifest.Digest}");
        await OciAssert.StatusAsync(byDigest, HttpStatusCode.OK);
        using var again = await Oci.DeleteAsync($"/v2/{repository}/manifests/v1");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task DELETE_by_digest_removes_the_manifest_and_all_its_tags()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var manifest = await Oci.PushImageAsync(repository, "v1", "delete-digest");
        using (var v1 = await Oci.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await Oci.PushManifestAsync(repository, "latest", await v1.Content.ReadAsStringAsync(), TestManifests.OciManifest);
        }

        using (var delete = await Oci.DeleteAsync($"/v2/{repository}/manifests/{manifest.Digest}"))
        {
            await OciAssert.StatusAsync(delete, HttpStatusCode.Accepted);
        }

        await AssertManifestUnknownAsync(repository, manifest.Digest.ToString());
        await AssertManifestUnknownAsync(repository, "v1");
        await AssertManifestUnknownAsync(repository, "latest");
        using var tags = await Oci.GetAsync($"/v2/{repository}/tags/list");
        Assert.Equal($$"""{"name":"{{repository}}","tags":[]}""", await tags.Content.ReadAsStringAsync());
        using var again = await Oci.DeleteAsync($"/v2/{repository}/manifests/{manifest.Digest}");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Deleting_a_child_of_an_index_is_refused_until_the_index_is_gone()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var child = await Oci.PushImageAsync(repository, "child", "index-child");
        var index = await Oci.PushManifestAsync(repository, "multi", TestManifests.Index([child]), TestManifests.OciIndex);

        using (var refused = await Oci.DeleteAsync($"/v2/{repository}/manifests/{child.Digest}"))
        {
            await OciAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "DENIED");
        }

        using (var stillThere = await Oci.GetAsync($"/v2/{repository}/manifests/{child.Digest}"))
        {
            await OciAssert.StatusAsync(stillThere, HttpStatusCode.OK);
        }

        using (var deleteIndex = await Oci.DeleteAsync($"/v2/{repository}/manifests/{index.Digest}"))
        {
            await OciAssert.StatusAsync(deleteIndex, HttpStatusCode.Accepted);
        }

        using var deleteChild = await Oci.DeleteAsync($"/v2/{repository}/manifests/{child.Digest}");
        await OciAssert.StatusAsync(deleteChild, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Moving_a_mutable_tag_keeps_the_old_manifest_pullable_by_digest()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var first = await Oci.PushImageAsync(repository, "latest", "first");
        var second = await Oci.PushImageAsync(repository, "latest", "second");

        using var latest = await Oci.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(second.Digest.ToString(), OciAssert.Header(latest, "Docker-Content-Digest"));
        using var old = await Oci.GetAsync($"/v2/{repository}/manifests/{first.Digest}");
        await OciAssert.StatusAsync(old, HttpStatusCode.OK);
        Assert.Equal(first.Digest, Digest.Compute(await old.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Unsupported_methods_on_a_manifest_are_405_UNSUPPORTED()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.PostAsync($"/v2/{repository}/manifests/latest", [1, 2, 3]);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
