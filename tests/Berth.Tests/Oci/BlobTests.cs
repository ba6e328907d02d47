using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>Blob GET, HEAD, ranges, cross-repository mounts and DELETE.</summary>
public sealed class BlobTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog");

    private OciClient Oci => fixture.Oci;

    private async Task<(string Repository, Digest Digest)> PushedAsync()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var blob = await Oci.PushBlobAsync(repository, Content);
        return (repository, blob.Digest);
    }

    [Fact]
    public async Task GET_returns_the_bytes_with_length_digest_and_range_support()
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal("bytes", OciAssert.Header(response, "Accept-Ranges"));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
    }

    // Blobs leave in blocks of 1 MiB: sizes and ranges that end inside, on and past a block boundary.
    [Theory]
    [InlineData(null, null)]
    [InlineData(0L, 1048575L)]
    [InlineData(1048575L, 1048576L)]
    [InlineData(5L, 3145733L)]
    [InlineData(2097152L, null)]
    public async Task Large_blob_is_sent_whole_and_in_ranges_byte_for_byte(long? first, long? last)
    {
        var content = new byte[(3 * 1024 * 1024) + 7];
        new Random(17).NextBytes(content);
        var repository = await fixture.CreateRepositoryAsync();
        var digest = (await Oci.PushBlobAsync(repository, content)).Digest;

        var range = first is null ? null : $"bytes={first}-{last}";
        using var response = range is null
            ? await Oci.GetAsync($"/v2/{repository}/blobs/{digest}")
            : await Oci.GetAsync($"/v2/{repository}/blobs/{digest}", ("Range", range));

        await OciAssert.StatusAsync(response, range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent);
        var from = (int)(first ?? 0);
        var to = (int)(last ?? content.Length - 1);
        Assert.Equal(content[from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HEAD_has_the_same_headers_and_no_body()
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.HeadAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        Assert.Equal("bytes", OciAssert.Header(response, "Accept-Ranges"));
    }

    [Theory]
    [InlineData("bytes=0-4", 0, 4)]
    [InlineData("bytes=4-8", 4, 8)]
    [InlineData("bytes=40-", 40, 42)]
    [InlineData("bytes=-3", 40, 42)]
    [InlineData("bytes=-1000", 0, 42)]
    [InlineData("bytes=10-1000", 10, 42)]
    public async Task Satisfiable_range_is_206_with_Content_Range(string range, int first, int last)
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}", ("Range", range));

        await OciAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal(Content[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes {first}-{last}/{Content.Length}", OciAssert.Header(response, "Content-Range"));
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=43-")]
    [InlineData("bytes=100-200")]
    [InlineData("bytes=-0")]
    public async Task Unsatisfiable_range_is_416_with_the_size(string range)
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}", ("Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{Content.Length}", OciAssert.Header(response, "Content-Range"));
    }

    [Theory]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-1")]
    [InlineData("bytes=x-y")]
    public async Task Range_that_is_not_one_byte_range_is_ignored(string range)
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}", ("Range", range));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unknown_blob_is_BLOB_UNKNOWN_and_HEAD_is_a_bare_404()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var digest = Digest.Compute("never pushed"u8);

        using var get = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var head = await Oci.HeadAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Blob_in_an_unknown_repository_is_NAME_UNKNOWN()
    {
        using var response = await Oci.GetAsync($"/v2/no-such-repo/blobs/{Digest.Compute(Content)}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:totallywrong")]
    [InlineData("latest")]
    [InlineData("sha256:2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE")]
    public async Task Malformed_blob_digest_is_DIGEST_INVALID(string digest)
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Blob_of_another_repository_is_invisible_until_mounted()
    {
        var (source, digest) = await PushedAsync();
        var target = await fixture.CreateRepositoryAsync("target");

        using (var before = await Oci.GetAsync($"/v2/{target}/blobs/{digest}"))
        {
            await OciAssert.ErrorAsync(before, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        }

        using var mount = await Oci.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}");

        await OciAssert.StatusAsync(mount, HttpStatusCode.Created);
        Assert.Equal($"/v2/{target}/blobs/{digest}", mount.Headers.Location!.OriginalString);
        Assert.Equal(digest.ToString(), OciAssert.Header(mount, "Docker-Content-Digest"));
        using var after = await Oci.GetAsync($"/v2/{target}/blobs/{digest}");
        await OciAssert.StatusAsync(after, HttpStatusCode.OK);
        Assert.Equal(Content, await after.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("missing blob", "{source}")]
    [InlineData("pushed blob", "")]
    [InlineData("pushed blob", "no-such-repo")]
    [InlineData("pushed blob", "INVALID/Name")]
    [InlineData("pushed blob", "{target}")]
    public async Task Mount_that_cannot_happen_opens_an_ordinary_session(string what, string from)
    {
        var (source, digest) = await PushedAsync();
        var target = await fixture.CreateRepositoryAsync("target");
        var mounted = what == "pushed blob" ? digest : Digest.Compute("missing blob"u8);
        from = from.Replace("{source}", source, StringComparison.Ordinal).Replace("{target}", target, StringComparison.Ordinal);
        var query = from.Length > 0 ? $"&from={Uri.EscapeDataString(from)}" : string.Empty;

        using var response = await Oci.PostAsync($"/v2/{target}/blobs/uploads/?mount={mounted}{query}");

        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/v2/{target}/blobs/uploads/", location, StringComparison.Ordinal);
        using var status = await Oci.GetAsync(location);
        await OciAssert.StatusAsync(status, HttpStatusCode.NoContent);
        using var absent = await Oci.GetAsync($"/v2/{target}/blobs/{mounted}");
        await OciAssert.ErrorAsync(absent, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Mount_into_an_unknown_repository_is_NAME_UNKNOWN()
    {
        var (source, digest) = await PushedAsync();

        using var response = await Oci.PostAsync($"/v2/no-such-target/blobs/uploads/?mount={digest}&from={source}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task DELETE_unlinks_the_blob_from_that_repository_only()
    {
        var (repository, digest) = await PushedAsync();
        var other = await fixture.CreateRepositoryAsync("other");
        await Oci.PushBlobAsync(other, Content);

        using (var delete = await Oci.DeleteAsync($"/v2/{repository}/blobs/{digest}"))
        {
            await OciAssert.StatusAsync(delete, HttpStatusCode.Accepted);
        }

        using var gone = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.ErrorAsync(gone, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var again = await Oci.DeleteAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var kept = await Oci.GetAsync($"/v2/{other}/blobs/{digest}");
        await OciAssert.StatusAsync(kept, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unsupported_methods_on_a_blob_are_405_UNSUPPORTED()
    {
        var (repository, digest) = await PushedAsync();

        using var response = await Oci.PutAsync($"/v2/{repository}/blobs/{digest}", Content);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
