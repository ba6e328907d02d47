using System.Net;
using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>tags/list paging and tag immutability as ECR enforces it on /v2/ pushes.</summary>
public sealed class TagTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private OciClient Oci => fixture.Oci;

    private async Task<string> TaggedRepositoryAsync(params string[] tags)
    {
        var repository = await fixture.CreateRepositoryAsync("tags");
        var manifest = await Oci.PushImageAsync(repository, tags[0], "tagged");
        using var get = await Oci.GetAsync($"/v2/{repository}/manifests/{manifest.Digest}");
        var json = await get.Content.ReadAsStringAsync();
        foreach (var tag in tags[1..])
        {
            await Oci.PushManifestAsync(repository, tag, json, TestManifests.OciManifest);
        }

        return repository;
    }

    private async Task<(string[] Tags, string? Link)> ListAsync(string path)
    {
        using var response = await Oci.GetAsync(path);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        // A JSON answer carries its length rather than chunked encoding.
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        using var body = JsonDocument.Parse(bytes);
        var tags = body.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();
        return (tags, response.Headers.TryGetValues("Link", out var link) ? link.Single() : null);
    }

    [Fact]
    public async Task Tags_are_listed_in_order_with_the_repository_name()
    {
        var repository = await TaggedRepositoryAsync("v2", "latest", "v1", "Alpha");

        using var response = await Oci.GetAsync($"/v2/{repository}/tags/list");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal($$"""{"name":"{{repository}}","tags":["Alpha","latest","v1","v2"]}""", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Paging_with_n_and_last_follows_the_Link_header()
    {
        var repository = await TaggedRepositoryAsync("a", "b", "c", "d", "e");

        var first = await ListAsync($"/v2/{repository}/tags/list?n=2");
        Assert.Equal(["a", "b"], first.Tags);
        Assert.Equal($"</v2/{repository}/tags/list?n=2&last=b>; rel=\"next\"", first.Link);

        var second = await ListAsync($"/v2/{repository}/tags/list?n=2&last=b");
        Assert.Equal(["c", "d"], second.Tags);
        Assert.NotNull(second.Link);

        var third = await ListAsync($"/v2/{repository}/tags/list?n=2&last=d");
        Assert.Equal(["e"], third.Tags);
        Assert.Null(third.Link);
    }

    [Fact]
    public async Task A_page_that_takes_the_last_tags_has_no_Link()
    {
        var repository = await TaggedRepositoryAsync("a", "b");

        var page = await ListAsync($"/v2/{repository}/tags/list?n=2");

        Assert.Equal(["a", "b"], page.Tags);
        Assert.Null(page.Link);
    }

    [Theory]
    [InlineData("?last=bb", new[] { "c" })]
    [InlineData("?last=zzz", new string[0])]
    [InlineData("?n=0", new string[0])]
    [InlineData("?n=0&last=a", new string[0])]
    [InlineData("?n=99999", new[] { "a", "b", "c" })]
    [InlineData("?n=1&last=b", new[] { "c" })]
    public async Task Tag_listing_honours_n_and_last(string query, string[] expected)
    {
        var repository = await TaggedRepositoryAsync("a", "b", "c");

        var page = await ListAsync($"/v2/{repository}/tags/list{query}");

        Assert.Equal(expected, page.Tags);
        Assert.Null(page.Link);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public async Task Invalid_n_is_a_400_error(string n)
    {
        var repository = await TaggedRepositoryAsync("a");

        using var response = await Oci.GetAsync($"/v2/{repository}/tags/list?n={n}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_are_NAME_UNKNOWN()
    {
        using var response = await Oci.GetAsync("/v2/no-such-repo/tags/list");
        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var empty = await Oci.GetAsync("/v2/no-such-repo/tags/list?n=0");
        await OciAssert.ErrorAsync(empty, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Immutable_tag_accepts_the_same_manifest_and_refuses_another_with_ECRs_message()
    {
        var repository = await fixture.CreateRepositoryAsync("immutable", "IMMUTABLE");
        var first = await Oci.PushImageAsync(repository, "v1", "first");
        using (var get = await Oci.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            // Re-pushing the same bytes to the same tag is a no-op, not a conflict.
            await Oci.PushManifestAsync(repository, "v1", await get.Content.ReadAsStringAsync(), TestManifests.OciManifest);
        }

        var config = await Oci.PushBlobAsync(repository, """{"other":true}""", TestManifests.OciConfig);
        var json = TestManifests.Oci(config, []);
        using var refused = await Oci.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        var message = await OciAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "TAG_INVALID");
        Assert.Equal(
            $"The image tag 'v1' already exists in the '{repository}' repository and cannot be overwritten because the tag is immutable.",
            message);
        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/v1");
        Assert.Equal(first.Digest.ToString(), OciAssert.Header(head, "Docker-Content-Digest"));

        // The refused manifest may still go under a new tag.
        await Oci.PushManifestAsync(repository, "v2", json, TestManifests.OciManifest);
    }

    [Fact]
    public async Task Immutable_with_exclusion_lets_excluded_tags_move()
    {
        var repository = await fixture.CreateRepositoryAsync("excluded", "IMMUTABLE_WITH_EXCLUSION", "latest");
        await Oci.PushImageAsync(repository, "latest", "first");
        await Oci.PushImageAsync(repository, "v1", "first-v1");

        var moved = await Oci.PushImageAsync(repository, "latest", "second");

        using var head = await Oci.HeadAsync($"/v2/{repository}/manifests/latest");
        Assert.Equal(moved.Digest.ToString(), OciAssert.Header(head, "Docker-Content-Digest"));
        var config = await Oci.PushBlobAsync(repository, """{"v1":"again"}""", TestManifests.OciConfig);
        using var refused = await Oci.PutManifestAsync(repository, "v1", TestManifests.Oci(config, []), TestManifests.OciManifest);
        await OciAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task Mutable_with_exclusion_pins_only_excluded_tags()
    {
        var repository = await fixture.CreateRepositoryAsync("pinned", "MUTABLE_WITH_EXCLUSION", "release-*");
        await Oci.PushImageAsync(repository, "release-1", "first");
        await Oci.PushImageAsync(repository, "latest", "first-latest");

        await Oci.PushImageAsync(repository, "latest", "second-latest");
        var config = await Oci.PushBlobAsync(repository, """{"release":"again"}""", TestManifests.OciConfig);
        using var refused = await Oci.PutManifestAsync(repository, "release-1", TestManifests.Oci(config, []), TestManifests.OciManifest);

        await OciAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "TAG_INVALID");
    }
}
