using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Tests.Storage;
using Berth.Tests.Support;

namespace Berth.Tests.Oci;

/// <summary>Blob upload sessions: monolithic, POST+PUT, chunked, streamed, status, cancel, and their errors.</summary>
public sealed class BlobUploadTests(OciFixture fixture) : IClassFixture<OciFixture>
{
    private static readonly byte[] FortyTwo = Encoding.ASCII.GetBytes("0123456789abcdefghijklmnopqrstuvwxyzABCDEF");

    private OciClient Oci => fixture.Oci;

    private async Task AssertBlobAsync(string repository, byte[] expected)
    {
        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(expected)}");
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertBlobAbsentAsync(string repository, Digest digest)
    {
        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Monolithic_POST_with_digest_creates_the_blob()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var digest = Digest.Compute(FortyTwo);

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", FortyTwo);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Monolithic_POST_with_the_wrong_digest_is_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var claimed = Digest.Compute("something else"u8);

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads/?digest={claimed}", FortyTwo);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobAbsentAsync(repository, claimed);
        await AssertBlobAbsentAsync(repository, Digest.Compute(FortyTwo));
    }

    [Fact]
    public async Task Monolithic_POST_accepts_a_sha512_digest()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var digest = Digest.Compute(DigestAlgorithm.Sha512, FortyTwo);

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", FortyTwo);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location!.OriginalString);
        using var read = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(read, HttpStatusCode.OK);
        Assert.Equal(FortyTwo, await read.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Empty_blob_can_be_pushed_and_read()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        var digest = Digest.Compute([]);

        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", digest.ToString()));

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        using var read = await Oci.GetAsync($"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(read, HttpStatusCode.OK);
        Assert.Equal(0, read.Content.Headers.ContentLength);
        Assert.Empty(await read.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task POST_opens_a_session_with_a_stable_location()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads/");

        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var location = response.Headers.Location!.OriginalString;
        var uuid = OciAssert.Header(response, "Docker-Upload-UUID");
        Assert.True(Guid.TryParse(uuid, out _));
        Assert.Equal($"/v2/{repository}/blobs/uploads/{uuid}", location);
        Assert.Equal("0-0", OciAssert.Header(response, "Range"));
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
    }

    [Fact]
    public async Task POST_without_the_trailing_slash_opens_a_session_too()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads");

        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        Assert.StartsWith($"/v2/{repository}/blobs/uploads/", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task POST_then_PUT_with_the_whole_body_creates_the_blob()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        var digest = Digest.Compute(FortyTwo);

        using var response = await Oci.PutAsync(OciClient.WithQuery(location, "digest", digest.ToString()), FortyTwo);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(digest.ToString(), OciAssert.Header(response, "Docker-Content-Digest"));
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Chunked_PATCHes_with_Content_Range_then_an_empty_PUT_create_the_blob()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using (var first = await Oci.PatchAsync(location, FortyTwo[..22], "0-21"))
        {
            await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);
            Assert.Equal("0-21", OciAssert.Header(first, "Range"));
            Assert.Equal(location, first.Headers.Location!.OriginalString);
        }

        using (var status = await Oci.GetAsync(location))
        {
            await OciAssert.StatusAsync(status, HttpStatusCode.NoContent);
            Assert.Equal("0-21", OciAssert.Header(status, "Range"));
            Assert.Equal(location, status.Headers.Location!.OriginalString);
        }

        using (var second = await Oci.PatchAsync(location, FortyTwo[22..], "22-41"))
        {
            await OciAssert.StatusAsync(second, HttpStatusCode.Accepted);
            Assert.Equal("0-41", OciAssert.Header(second, "Range"));
        }

        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()));
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Streamed_PATCHes_without_Content_Range_append_in_order()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using (var first = await Oci.PatchAsync(location, FortyTwo[..10]))
        {
            await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);
            Assert.Equal("0-9", OciAssert.Header(first, "Range"));
        }

        using (var second = await Oci.PatchAsync(location, FortyTwo[10..]))
        {
            await OciAssert.StatusAsync(second, HttpStatusCode.Accepted);
            Assert.Equal("0-41", OciAssert.Header(second, "Range"));
            Assert.Equal(location, second.Headers.Location!.OriginalString);
        }

        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()));
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Final_chunk_may_ride_on_the_PUT()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        using (var patch = await Oci.PatchAsync(location, FortyTwo[..20], "0-19"))
        {
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        }

        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()), FortyTwo[20..]);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Out_of_order_first_chunk_is_416_with_the_current_state()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using var response = await Oci.PatchAsync(location, FortyTwo[22..], "22-41");

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-0", OciAssert.Header(response, "Range"));
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Resent_or_skipping_chunks_are_416_and_leave_the_upload_usable()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        using (var first = await Oci.PatchAsync(location, FortyTwo[..22], "0-21"))
        {
            await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);
        }

        using (var resent = await Oci.PatchAsync(location, FortyTwo[..22], "0-21"))
        {
            await OciAssert.ErrorAsync(resent, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
            Assert.Equal("0-21", OciAssert.Header(resent, "Range"));
            Assert.Equal(location, resent.Headers.Location!.OriginalString);
        }

        using (var skipping = await Oci.PatchAsync(location, FortyTwo[30..], "30-41"))
        {
            await OciAssert.ErrorAsync(skipping, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
            Assert.Equal("0-21", OciAssert.Header(skipping, "Range"));
        }

        using (var next = await Oci.PatchAsync(location, FortyTwo[22..], "22-41"))
        {
            await OciAssert.StatusAsync(next, HttpStatusCode.Accepted);
        }

        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()));
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertBlobAsync(repository, FortyTwo);
    }

    [Fact]
    public async Task Content_Range_that_disagrees_with_Content_Length_is_SIZE_INVALID()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using var response = await Oci.PatchAsync(location, FortyTwo[..5], "0-9");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "SIZE_INVALID");
    }

    [Fact]
    public async Task Streamed_chunk_shorter_than_its_Content_Range_is_SIZE_INVALID_and_changes_nothing()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        using var content = new StreamContent(new PatternStream(5, 1));

        using var response = await Oci.SendAsync(HttpMethod.Patch, location, content, ("Content-Range", "0-9"));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "SIZE_INVALID");
        using var status = await Oci.GetAsync(location);
        Assert.Equal("0-0", OciAssert.Header(status, "Range"));
        using var retry = await Oci.PatchAsync(location, FortyTwo[..10], "0-9");
        await OciAssert.StatusAsync(retry, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Streamed_chunk_longer_than_its_Content_Range_is_SIZE_INVALID_and_changes_nothing()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        using var content = new StreamContent(new PatternStream(20, 1));

        using var response = await Oci.SendAsync(HttpMethod.Patch, location, content, ("Content-Range", "0-9"));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "SIZE_INVALID");
        using var status = await Oci.GetAsync(location);
        Assert.Equal("0-0", OciAssert.Header(status, "Range"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("5-2")]
    [InlineData("-5")]
    [InlineData("a-b")]
    [InlineData("0-9223372036854775807")]
    public async Task Malformed_Content_Range_is_BLOB_UPLOAD_INVALID(string range)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using var response = await Oci.PatchAsync(location, FortyTwo[..5], range);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID");
    }

    [Fact]
    public async Task Status_of_a_new_session_is_204_with_an_empty_Range()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using var response = await Oci.GetAsync(location);

        await OciAssert.StatusAsync(response, HttpStatusCode.NoContent);
        Assert.Equal("0-0", OciAssert.Header(response, "Range"));
        Assert.Equal(location, response.Headers.Location!.OriginalString);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Cancelled_session_is_204_then_BLOB_UPLOAD_UNKNOWN_everywhere()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        using (var patch = await Oci.PatchAsync(location, FortyTwo))
        {
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        }

        using (var cancel = await Oci.DeleteAsync(location))
        {
            await OciAssert.StatusAsync(cancel, HttpStatusCode.NoContent);
        }

        using var status = await Oci.GetAsync(location);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var patchAfter = await Oci.PatchAsync(location, FortyTwo);
        await OciAssert.ErrorAsync(patchAfter, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var putAfter = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()));
        await OciAssert.ErrorAsync(putAfter, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var cancelAgain = await Oci.DeleteAsync(location);
        await OciAssert.ErrorAsync(cancelAgain, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await AssertBlobAbsentAsync(repository, Digest.Compute(FortyTwo));
    }

    [Fact]
    public async Task Wrong_digest_at_PUT_is_DIGEST_INVALID_and_the_blob_stays_invisible()
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);
        var claimed = Digest.Compute("not these bytes"u8);

        using var response = await Oci.PutAsync(OciClient.WithQuery(location, "digest", claimed.ToString()), FortyTwo);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobAbsentAsync(repository, claimed);
        await AssertBlobAbsentAsync(repository, Digest.Compute(FortyTwo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("nonsense")]
    public async Task Malformed_digest_at_PUT_is_DIGEST_INVALID(string digest)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = await Oci.StartUploadAsync(repository);

        using var response = await Oci.PutAsync(digest.Length == 0 ? location : OciClient.WithQuery(location, "digest", digest), FortyTwo);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("SHA256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")]
    [InlineData("sha256")]
    public async Task Malformed_digest_at_monolithic_POST_is_DIGEST_INVALID(string digest)
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Uri.EscapeDataString(digest)}", FortyTwo);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [InlineData("0b8a6f1e-8d4c-4b5e-9a57-1f6f2b8f1c3d")]
    [InlineData("not-a-guid")]
    [InlineData("12345")]
    public async Task Unknown_or_malformed_upload_id_is_BLOB_UPLOAD_UNKNOWN(string id)
    {
        var repository = await fixture.CreateRepositoryAsync();
        var location = $"/v2/{repository}/blobs/uploads/{id}";

        using var status = await Oci.GetAsync(location);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var patch = await Oci.PatchAsync(location, FortyTwo, "0-41");
        await OciAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var put = await Oci.PutAsync(OciClient.WithQuery(location, "digest", Digest.Compute(FortyTwo).ToString()), FortyTwo);
        await OciAssert.ErrorAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var cancel = await Oci.DeleteAsync(location);
        await OciAssert.ErrorAsync(cancel, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Upload_id_of_another_repository_is_BLOB_UPLOAD_UNKNOWN_there()
    {
        var owner = await fixture.CreateRepositoryAsync("owner");
        var other = await fixture.CreateRepositoryAsync("other");
        var location = await Oci.StartUploadAsync(owner);
        var foreign = location.Replace($"/v2/{owner}/", $"/v2/{other}/", StringComparison.Ordinal);
        var digest = Digest.Compute(FortyTwo).ToString();

        using var status = await Oci.GetAsync(foreign);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var patch = await Oci.PatchAsync(foreign, FortyTwo);
        await OciAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var put = await Oci.PutAsync(OciClient.WithQuery(foreign, "digest", digest), FortyTwo);
        await OciAssert.ErrorAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var cancel = await Oci.DeleteAsync(foreign);
        await OciAssert.ErrorAsync(cancel, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");

        // The session is untouched in its own repository.
        using var own = await Oci.PutAsync(OciClient.WithQuery(location, "digest", digest), FortyTwo);
        await OciAssert.StatusAsync(own, HttpStatusCode.Created);
        await AssertBlobAbsentAsync(other, Digest.Compute(FortyTwo));
    }

    [Fact]
    public async Task Uploads_into_an_unknown_repository_are_NAME_UNKNOWN()
    {
        using var session = await Oci.PostAsync("/v2/no-such-repo/blobs/uploads/");
        await OciAssert.ErrorAsync(session, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var monolithic = await Oci.PostAsync($"/v2/no-such-repo/blobs/uploads/?digest={Digest.Compute(FortyTwo)}", FortyTwo);
        await OciAssert.ErrorAsync(monolithic, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Other_methods_on_the_uploads_collection_are_405_UNSUPPORTED()
    {
        var repository = await fixture.CreateRepositoryAsync();

        using var response = await Oci.GetAsync($"/v2/{repository}/blobs/uploads/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
