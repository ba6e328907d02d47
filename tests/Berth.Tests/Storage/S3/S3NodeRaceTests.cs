using Berth.Domain;
using Berth.Storage.S3;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.S3;

/// <summary>
/// Two nodes over one bucket (two clients, two stores, two publish gates) racing to commit: the winner publishes, and
/// every loser either finds the blob it verified stored (Committed) or the upload gone (UploadNotFound), never an
/// exception, which the protocols would answer with a 500.
/// </summary>
[RequiresEnvironment(TestS3.Variable, TestS3.SkipReason)]
public sealed class S3NodeRaceTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N") + "/";
    private readonly List<IDisposable> _owned = [];
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _bucket;
    private readonly Node _a;
    private readonly Node _b;

    public S3NodeRaceTests()
    {
        _bucket = TestS3.Bucket(GetType());
        _a = OpenNode();
        _b = OpenNode();
    }

    private static CancellationToken None => CancellationToken.None;

    [Theory]
    [InlineData(MiB)] // the tail alone: published with one PUT
    [InlineData(12 * MiB)] // one full part and a tail: completed, then copied
    [InlineData(16 * MiB)] // exactly two parts
    public async Task Commits_of_one_upload_racing_on_two_nodes_never_fail(int size)
    {
        var content = Bytes(size, seed: size);
        var digest = Digest.Compute(content);
        for (var round = 0; round < 3; round++)
        {
            var uploadId = await _a.Uploads.BeginUploadAsync(None);
            Assert.Equal(AppendStatus.Appended, (await _a.Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None)).Status);

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                Task.Run(async () => await (i % 2 == 0 ? _a : _b).Uploads.CommitAsync(uploadId, digest, null, None))));

            Assert.Contains(results, r => r.Status == CommitStatus.Committed);
            Assert.All(results, r => Assert.Contains(r.Status, new[] { CommitStatus.Committed, CommitStatus.UploadNotFound }));
            Assert.All(results.Where(r => r.Status == CommitStatus.Committed), r => Assert.Equal((digest, (long)size), (r.Computed, r.Length)));
            Assert.Equal(content, await ReadAsync(_b.Blobs, digest));
            Assert.Null(await _b.Uploads.GetUploadLengthAsync(uploadId, None));
            await DeleteBlobAsync(digest);
        }
    }

    [Theory]
    [InlineData(MiB)]
    [InlineData(12 * MiB)]
    public async Task Uploads_of_one_blob_committing_at_once_on_two_nodes_all_succeed(int size)
    {
        var content = Bytes(size, seed: size + 1);
        var digest = Digest.Compute(content);
        for (var round = 0; round < 3; round++)
        {
            var nodes = new[] { _a, _b, _a, _b };
            var uploadIds = new Guid[nodes.Length];
            for (var i = 0; i < nodes.Length; i++)
            {
                uploadIds[i] = await nodes[i].Uploads.BeginUploadAsync(None);
                await nodes[i].Uploads.AppendAsync(uploadIds[i], 0, new MemoryStream(content), null, None);
            }

            var results = await Task.WhenAll(nodes.Select((node, i) =>
                Task.Run(async () => await node.Uploads.CommitAsync(uploadIds[i], digest, null, None))));

            Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
            Assert.Equal(content, await ReadAsync(_a.Blobs, digest));
            await DeleteBlobAsync(digest);
        }
    }

    [Theory]
    [InlineData(MiB)]
    [InlineData(12 * MiB)]
    public async Task One_shot_puts_of_one_blob_on_two_nodes_all_succeed(int size)
    {
        var content = Bytes(size, seed: size + 2);
        var digest = Digest.Compute(content);
        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                Task.Run(async () => await (i % 2 == 0 ? _a : _b).Blobs.PutAsync(new MemoryStream(content), digest, size, None))));

            Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
            Assert.Equal(content, await ReadAsync(_b.Blobs, digest));
            await DeleteBlobAsync(digest);
        }
    }

    [Fact]
    public async Task An_append_streaming_past_the_max_age_on_one_node_is_not_purged_by_the_other()
    {
        var content = Bytes(3 * MiB, seed: 5);
        var uploadId = await _a.Uploads.BeginUploadAsync(None);
        using var body = new PacedStream(content, MiB);
        var appending = Task.Run(async () => await _a.Uploads.AppendAsync(uploadId, 0, body, null, None));
        await body.WaitForReadAsync();
        body.Allow();
        await body.WaitForReadAsync();

        // Two hours into the request, more bytes arrive; once they are taken, node B purges uploads idle for an hour.
        _time.Advance(TimeSpan.FromHours(2));
        body.Allow();
        await body.WaitForReadAsync();
        var removed = await _b.Uploads.PurgeUploadsAsync(_time.GetUtcNow() - TimeSpan.FromHours(1), None);
        body.Allow(10);
        var appended = await appending;

        Assert.Equal(0, removed);
        Assert.Equal((AppendStatus.Appended, 3L * MiB), (appended.Status, appended.Length));
        Assert.Equal(CommitStatus.Committed, (await _b.Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None)).Status);
        Assert.Equal(content, await ReadAsync(_a.Blobs, Digest.Compute(content)));
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private Node OpenNode()
    {
        var options = TestS3.Options(_bucket, _prefix, redirect: false);
        var client = TestS3.Client(options);
        var gate = new S3PublishGate();
        var bucket = new S3Bucket(client, _bucket, options.NormalizedPrefix, gate);
        var uploads = new S3UploadStore(bucket, _time);
        _owned.AddRange([client, gate, uploads]);
        return new Node(new S3BlobStore(bucket, redirect: false, _time), uploads);
    }

    private async Task DeleteBlobAsync(Digest digest) => Assert.True(await _a.Blobs.DeleteAsync(digest, None));

    private static async Task<byte[]> ReadAsync(S3BlobStore store, Digest digest)
    {
        await using var stream = await store.OpenReadAsync(digest, 0, null, None);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed record Node(S3BlobStore Blobs, S3UploadStore Uploads);
}
