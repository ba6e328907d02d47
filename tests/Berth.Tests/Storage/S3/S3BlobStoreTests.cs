using Amazon.S3;
using Amazon.S3.Model;
using Berth.Domain;
using Berth.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.S3;

/// <summary>
/// The shared bytes suite against S3 (redirects on, so the suite fetches the presigned URL), plus what only S3 can
/// show: keys, multipart uploads left behind, parts of several MiB.
/// </summary>
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed class S3BlobStoreTests : BlobStoreSuite
{
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N") + "/";
    private IAmazonS3? _client;
    private string? _bucket;

    private IAmazonS3 Client => _client ?? throw new InvalidOperationException("Open a backend first.");

    protected override BlobBackend OpenBackend(TimeProvider time) => Open(time, redirect: true);

    private BlobBackend Reopen(bool redirect) => Open(Time, redirect);

    private BlobBackend Open(TimeProvider time, bool redirect)
    {
        var options = TestS3.Options(TestS3.Bucket(GetType()), _prefix, redirect);
        _bucket = options.Bucket;
        _client ??= TestS3.Client(options);
        return new BlobBackend(
            new S3BlobStore(_client, _bucket!, options.NormalizedPrefix, redirect, time),
            new S3UploadStore(_client, _bucket!, options.NormalizedPrefix, time));
    }

    public override void Dispose()
    {
        base.Dispose();
        _client?.Dispose();
    }

    [Fact]
    public async Task Blob_is_an_object_at_its_content_address_under_the_prefix()
    {
        var content = Bytes(1234, seed: 1);
        var digest = await PutAsync(content);

        var hex = digest.Hex.ToString();
        Assert.Equal([$"{_prefix}blobs/sha256/{hex[..2]}/{hex}"], await KeysAsync());
    }

    [Fact]
    public async Task Read_url_is_a_presigned_get_that_expires()
    {
        var content = Bytes(300, seed: 2);
        var digest = await PutAsync(content);

        var url = await Store.TryGetReadUrlAsync(digest, TimeSpan.FromMinutes(15), None);

        Assert.NotNull(url);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        var expires = System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"];
        // The SDK signs on its clock, corrected for the server's skew to the second, so the lifetime may be off by a second.
        Assert.InRange(int.Parse(expires!, System.Globalization.CultureInfo.InvariantCulture), 890, 910);
        Assert.StartsWith(TestS3.Endpoint(), url.AbsoluteUri, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url));
        Assert.Null(await Reopen(redirect: false).Blobs.TryGetReadUrlAsync(digest, TimeSpan.FromMinutes(15), None));
    }

    [Fact]
    public async Task Append_racing_on_another_node_at_the_same_offset_is_refused_by_the_conditional_record_write()
    {
        var content = Bytes(3000, seed: 8);
        var uploadId = await Uploads.BeginUploadAsync(None);
        var stalled = new TaskCompletionSource();
        var first = Reopen();

        // The first node has read the record (offset 0) and waits for its client; the second appends at offset 0 meanwhile.
        var slow = Task.Run(async () => await first.Uploads.AppendAsync(uploadId, 0, new GatedStream(content[..1000], stalled.Task), null, None));
        await Task.Delay(500);
        var fast = await Reopen().Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 1000), null, None);
        stalled.SetResult();

        Assert.Equal(new AppendResult(AppendStatus.Appended, 1000), fast);
        Assert.Equal(new AppendResult(AppendStatus.OffsetMismatch, 1000), await slow);
        await Uploads.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 2000), null, None);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), 3000, None)).Status);
    }

    [Fact]
    public async Task Put_larger_than_a_part_streams_in_parts_and_reads_back_exactly()
    {
        var content = Bytes((2 * S3BlobStore.PartSize) + 12345, seed: 3);
        var digest = Digest.Compute(content);

        var result = await Store.PutAsync(new TrickleStream(new MemoryStream(content), 70_000), digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
        Assert.Equal(content[(S3BlobStore.PartSize - 10)..(S3BlobStore.PartSize + 10)], await ReadAsync(Store, digest, S3BlobStore.PartSize - 10, 20));
        Assert.Empty(await MultipartUploadsAsync());
    }

    [Fact]
    public async Task Put_of_more_parts_than_are_sent_at_once_assembles_them_in_order()
    {
        // More full parts than are in flight at once, so buffers are reused and parts finish out of order.
        var content = Bytes(((S3PartSender.InFlight + 2) * S3BlobStore.PartSize) + 99, seed: 9);
        var digest = Digest.Compute(content);

        var result = await Store.PutAsync(new TrickleStream(new MemoryStream(content), 1 << 20), digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
        Assert.Empty(await MultipartUploadsAsync());
    }

    [Fact]
    public async Task Put_whose_client_drops_after_several_parts_leaves_nothing_visible_and_no_multipart_upload()
    {
        var content = Bytes(((S3PartSender.InFlight + 1) * S3BlobStore.PartSize) + 5, seed: 10);

        await Assert.ThrowsAsync<IOException>(async () =>
            await Store.PutAsync(new FailingStream(content), Digest.Compute(content), content.Length + 100, None));

        Assert.Empty(await KeysAsync());
        Assert.Empty(await MultipartUploadsAsync());
    }

    [Fact]
    public async Task Large_put_with_the_wrong_digest_leaves_nothing_visible_and_no_multipart_upload()
    {
        var content = Bytes(S3BlobStore.PartSize + 1, seed: 4);
        var claimed = Digest.Compute("something else"u8);

        var result = await Store.PutAsync(new MemoryStream(content), claimed, content.Length, None);

        Assert.Equal(CommitStatus.DigestMismatch, result.Status);
        Assert.Empty(await KeysAsync());
        Assert.Empty(await MultipartUploadsAsync());
    }

    [Fact]
    public async Task Chunked_upload_across_parts_and_nodes_commits_and_leaves_no_upload_object()
    {
        // Chunks smaller and larger than a part, each through another instance, so the tail and the hash state travel
        // through the bucket.
        var sizes = new[] { 3 * MiB, 3 * MiB, 5 * MiB, 1, (S3BlobStore.PartSize * 2) + 7, 100 };
        var content = Bytes(sizes.Sum(), seed: 5);
        var digest = Digest.Compute(content);
        var uploadId = await Uploads.BeginUploadAsync(None);

        long offset = 0;
        foreach (var size in sizes)
        {
            var node = Reopen();
            var appended = await node.Uploads.AppendAsync(uploadId, offset, new MemoryStream(content, (int)offset, size), null, None);
            Assert.Equal(new AppendResult(AppendStatus.Appended, offset + size), appended);
            offset += size;
        }

        var result = await Reopen().Uploads.CommitAsync(uploadId, digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
        var hex = digest.Hex.ToString();
        Assert.Equal([$"{_prefix}blobs/sha256/{hex[..2]}/{hex}"], await KeysAsync());
        Assert.Empty(await MultipartUploadsAsync());
    }

    [Fact]
    public async Task Chunked_upload_larger_than_a_part_commits_as_sha512_by_reading_it_back()
    {
        var content = Bytes(S3BlobStore.PartSize + 500, seed: 6);
        var digest = Digest.Compute(DigestAlgorithm.Sha512, content);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Reopen().Uploads.CommitAsync(uploadId, digest, null, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task Failed_append_across_a_part_boundary_is_rolled_back_and_resent()
    {
        var content = Bytes(S3BlobStore.PartSize + (2 * MiB), seed: 7);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, MiB), null, None);

        // Fails after a whole part has been sent to S3: the record still says 1 MiB, so the part is overwritten later.
        await Assert.ThrowsAsync<IOException>(async () =>
            await Uploads.AppendAsync(uploadId, MiB, new FailingStream(content[MiB..(S3BlobStore.PartSize + MiB + 5)]), null, None));

        Assert.Equal(MiB, await Uploads.GetUploadLengthAsync(uploadId, None));
        var resent = await Reopen().Uploads.AppendAsync(uploadId, MiB, new MemoryStream(content, MiB, content.Length - MiB), null, None);
        Assert.Equal(new AppendResult(AppendStatus.Appended, content.Length), resent);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None)).Status);
        Assert.Equal(content, await ReadAsync(Store, Digest.Compute(content)));
    }

    [Fact]
    public async Task Purge_aborts_multipart_uploads_no_record_names()
    {
        _ = Store;
        var key = $"{_prefix}blobs/sha256/aa/{new string('a', 64)}";
        await Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key });
        var live = await Uploads.BeginUploadAsync(None);

        // S3 dates the orphan by its own clock: a cutoff in the future makes it old enough.
        var removed = await Uploads.PurgeUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5), None);

        Assert.Equal(2, removed); // the orphan, and the live upload whose record is older than that cutoff too
        Assert.Empty(await MultipartUploadsAsync());
        Assert.Null(await Uploads.GetUploadLengthAsync(live, None));
    }

    private async Task<List<string>> KeysAsync()
    {
        var response = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<List<string>> MultipartUploadsAsync()
    {
        var response = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix });
        return (response.MultipartUploads ?? []).Select(u => u.Key).ToList();
    }

    /// <summary>Waits for a signal before yielding its bytes.</summary>
    private sealed class GatedStream(byte[] content, Task open) : TestReadStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            open.GetAwaiter().GetResult();
            var count = Math.Min(buffer.Length, content.Length - _position);
            content.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
