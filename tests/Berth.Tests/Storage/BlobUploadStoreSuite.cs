using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The behaviour every upload backend (<see cref="IBlobUploadStore"/>) must have: offsets, rollback, verification on
/// commit, restarts and purges. A backend's test class derives from this and opens its upload and bytes ports together.
/// </summary>
public abstract class BlobUploadStoreSuite : BlobSuiteBase
{
    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.BeginUploadAsync))]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Chunked_upload_commits_to_a_readable_blob()
    {
        var content = Bytes(2 * MiB + 3, seed: 13);
        var digest = Digest.Compute(content);
        var uploadId = await Uploads.BeginUploadAsync(None);

        long offset = 0;
        foreach (var size in (int[])[MiB, 5, MiB - 2])
        {
            var appended = await Uploads.AppendAsync(uploadId, offset, new MemoryStream(content, (int)offset, size), null, None);
            Assert.Equal(new AppendResult(AppendStatus.Appended, offset + size), appended);
            offset += size;
        }

        var result = await Uploads.CommitAsync(uploadId, digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
        Assert.Null(await Uploads.GetUploadLengthAsync(uploadId, None));
    }

    // Chunk sizes that start and end inside and on 4 KiB blocks and the 1 MiB copy buffer, where a store that writes
    // aligned blocks differently from the rest (the filesystem's direct I/O) could misplace bytes.
    [Theory]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    [InlineData(new[] { 1, 4095, 4096, 4097 })]
    [InlineData(new[] { 4096, 8192, MiB })]
    [InlineData(new[] { MiB + 1, MiB - 1, 3 * 4096 + 7, 1 })]
    [InlineData(new[] { 100, MiB, 2 * MiB + 4000 })]
    public async Task Chunks_of_any_size_and_alignment_commit_to_the_exact_bytes(int[] sizes)
    {
        var content = Bytes(sizes.Sum(), seed: 30);
        var uploadId = await Uploads.BeginUploadAsync(None);

        long offset = 0;
        foreach (var size in sizes)
        {
            // Small reads, as a socket delivers them, must not change where the bytes land.
            using var source = new TrickleStream(new MemoryStream(content, (int)offset, size), 3000);
            Assert.Equal(new AppendResult(AppendStatus.Appended, offset + size), await Uploads.AppendAsync(uploadId, offset, source, size, None));
            offset += size;
        }

        var digest = Digest.Compute(content);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, digest, content.Length, None)).Status);
        Assert.Equal(content, await ReadAsync(Store, digest));

        // A put streams through the same path in one go.
        var single = Bytes(sizes.Sum() + 4096, seed: 31);
        Assert.Equal(CommitStatus.Committed, (await Store.PutAsync(new TrickleStream(new MemoryStream(single), 5000), Digest.Compute(single), single.Length, None)).Status);
        Assert.Equal(single, await ReadAsync(Store, Digest.Compute(single)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.GetUploadLengthAsync))]
    public async Task Upload_length_tracks_appended_bytes()
    {
        var uploadId = await Uploads.BeginUploadAsync(None);
        Assert.Equal(0, await Uploads.GetUploadLengthAsync(uploadId, None));

        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(Bytes(300, seed: 14)), null, None);

        Assert.Equal(300, await Uploads.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Uploads.GetUploadLengthAsync(Guid.NewGuid(), None));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    public async Task Append_at_the_wrong_offset_returns_OffsetMismatch_and_leaves_the_upload_intact()
    {
        var content = Bytes(200, seed: 15);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 100), null, None);

        var tooFar = await Uploads.AppendAsync(uploadId, 150, new MemoryStream(content, 100, 100), null, None);
        var repeated = await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 100, 100), null, None);

        Assert.Equal(new AppendResult(AppendStatus.OffsetMismatch, 100), tooFar);
        Assert.Equal(new AppendResult(AppendStatus.OffsetMismatch, 100), repeated);
        Assert.Equal(AppendStatus.Appended, (await Uploads.AppendAsync(uploadId, 100, new MemoryStream(content, 100, 100), null, None)).Status);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), 200, None)).Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    public async Task Append_to_an_unknown_upload_returns_UploadNotFound()
    {
        var result = await Uploads.AppendAsync(Guid.NewGuid(), 0, new MemoryStream(Bytes(10, seed: 16)), null, None);

        Assert.Equal(new AppendResult(AppendStatus.UploadNotFound, 0), result);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    public async Task Append_beyond_maxBytes_returns_TooLarge_and_keeps_the_upload_as_it_was()
    {
        var content = Bytes(3000, seed: 17);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 1000), null, None);

        var tooLarge = await Uploads.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 2000), maxBytes: 1999, None);
        var exact = await Uploads.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 2000), maxBytes: 2000, None);

        Assert.Equal(new AppendResult(AppendStatus.TooLarge, 1000), tooLarge);
        Assert.Equal(new AppendResult(AppendStatus.Appended, 3000), exact);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), 3000, None)).Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    public async Task Append_that_fails_midway_is_rolled_back_so_the_chunk_can_be_resent()
    {
        var content = Bytes(3 * MiB, seed: 18);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, MiB), null, None);

        await Assert.ThrowsAsync<IOException>(async () =>
            await Uploads.AppendAsync(uploadId, MiB, new FailingStream(content[MiB..(2 * MiB + 5)]), null, None));

        Assert.Equal(MiB, await Uploads.GetUploadLengthAsync(uploadId, None));
        var resent = await Uploads.AppendAsync(uploadId, MiB, new MemoryStream(content, MiB, 2 * MiB), null, None);
        Assert.Equal(new AppendResult(AppendStatus.Appended, 3 * MiB), resent);
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None)).Status);
        Assert.Equal(content, await ReadAsync(Store, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_with_the_wrong_digest_returns_DigestMismatch_and_discards_the_upload()
    {
        var content = Bytes(500, seed: 19);
        var claimed = Digest.Compute("other"u8);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Uploads.CommitAsync(uploadId, claimed, null, None);

        Assert.Equal(new CommitResult(CommitStatus.DigestMismatch, 500, Digest.Compute(content)), result);
        Assert.Null(await Uploads.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Store.StatAsync(claimed, None));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_with_the_wrong_length_returns_LengthMismatch_and_discards_the_upload()
    {
        var content = Bytes(500, seed: 20);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Uploads.CommitAsync(uploadId, Digest.Compute(content), 501, None);

        Assert.Equal(CommitStatus.LengthMismatch, result.Status);
        Assert.Equal(500, result.Length);
        Assert.Null(await Uploads.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_of_an_unknown_upload_returns_UploadNotFound()
    {
        var result = await Uploads.CommitAsync(Guid.NewGuid(), Digest.Compute("x"u8), null, None);

        Assert.Equal(CommitStatus.UploadNotFound, result.Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_of_a_blob_already_stored_succeeds_and_ends_the_upload()
    {
        var content = Bytes(4000, seed: 21);
        var digest = await PutAsync(content);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Uploads.CommitAsync(uploadId, digest, 4000, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await Uploads.GetUploadLengthAsync(uploadId, None));
        Assert.Single(await ListAsync(Store.EnumerateAsync(None)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Empty_upload_commits_to_the_empty_blob()
    {
        var uploadId = await Uploads.BeginUploadAsync(None);

        var result = await Uploads.CommitAsync(uploadId, Digest.Compute([]), 0, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Upload_can_be_committed_as_sha512()
    {
        var content = Bytes(10_000, seed: 22);
        var digest = Digest.Compute(DigestAlgorithm.Sha512, content);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Uploads.CommitAsync(uploadId, digest, null, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, 10_000, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.GetUploadLengthAsync))]
    public async Task Upload_survives_a_restart_and_continues_on_the_new_instance()
    {
        var content = Bytes(2 * MiB, seed: 23);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, MiB), null, None);

        var restarted = Reopen();
        Assert.Equal(MiB, await restarted.Uploads.GetUploadLengthAsync(uploadId, None));
        var appended = await restarted.Uploads.AppendAsync(uploadId, MiB, new MemoryStream(content, MiB, MiB), null, None);
        var result = await restarted.Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None);

        Assert.Equal(AppendStatus.Appended, appended.Status);
        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(content, await ReadAsync(restarted.Blobs, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_after_a_restart_verifies_the_stored_bytes()
    {
        var content = Bytes(MiB + 1, seed: 24);
        var good = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(good, 0, new MemoryStream(content), null, None);
        var bad = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(bad, 0, new MemoryStream(content), null, None);

        var restarted = Reopen();
        var committed = await restarted.Uploads.CommitAsync(good, Digest.Compute(content), MiB + 1, None);
        var rejected = await restarted.Uploads.CommitAsync(bad, Digest.Compute("not it"u8), null, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, MiB + 1, Digest.Compute(content)), committed);
        Assert.Equal(new CommitResult(CommitStatus.DigestMismatch, MiB + 1, Digest.Compute(content)), rejected);
        Assert.Null(await restarted.Uploads.GetUploadLengthAsync(bad, None));
        Assert.Equal(content, await ReadAsync(restarted.Blobs, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Commit_on_one_instance_counts_bytes_appended_through_another()
    {
        var content = Bytes(3000, seed: 25);
        var first = Backend;
        var second = Reopen();
        var uploadId = await first.Uploads.BeginUploadAsync(None);
        await first.Uploads.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 1000), null, None);
        await second.Uploads.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 1000), null, None);
        await first.Uploads.AppendAsync(uploadId, 2000, new MemoryStream(content, 2000, 1000), null, None);

        var result = await first.Uploads.CommitAsync(uploadId, Digest.Compute(content), 3000, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(content, await ReadAsync(second.Blobs, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AbortAsync))]
    public async Task Abort_discards_the_upload()
    {
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(Bytes(100, seed: 26)), null, None);

        Assert.True(await Uploads.AbortAsync(uploadId, None));
        Assert.Null(await Uploads.GetUploadLengthAsync(uploadId, None));
        Assert.False(await Uploads.AbortAsync(uploadId, None));
        Assert.Equal(AppendStatus.UploadNotFound, (await Uploads.AppendAsync(uploadId, 100, new MemoryStream(), null, None)).Status);
        Assert.Empty(await ListAsync(Uploads.EnumerateUploadsAsync(None)));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.EnumerateUploadsAsync))]
    public async Task EnumerateUploads_lists_uploads_in_progress_with_their_last_activity()
    {
        var idle = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(idle, 0, new MemoryStream(Bytes(10, seed: 32)), null, None);
        Time.Advance(TimeSpan.FromMinutes(10));
        var active = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(active, 0, new MemoryStream(Bytes(25, seed: 33)), null, None);
        var committed = await Uploads.BeginUploadAsync(None);
        await Uploads.CommitAsync(committed, Digest.Compute([]), 0, None);

        var uploads = await ListAsync(Uploads.EnumerateUploadsAsync(None));

        Assert.Equal(
            new[] { new UploadInfo(idle, 10, Time.GetUtcNow() - TimeSpan.FromMinutes(10)), new UploadInfo(active, 25, Time.GetUtcNow()) }
                .OrderBy(u => u.UploadId),
            uploads.OrderBy(u => u.UploadId));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.PurgeUploadsAsync))]
    public async Task PurgeUploads_removes_only_uploads_idle_since_the_cutoff()
    {
        var abandoned = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(abandoned, 0, new MemoryStream(Bytes(10, seed: 34)), null, None);
        Time.Advance(TimeSpan.FromHours(2));
        var recent = await Uploads.BeginUploadAsync(None);

        var removed = await Uploads.PurgeUploadsAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), None);

        Assert.Equal(1, removed);
        Assert.Null(await Uploads.GetUploadLengthAsync(abandoned, None));
        Assert.Equal(0, await Uploads.GetUploadLengthAsync(recent, None));
        Assert.Equal(AppendStatus.UploadNotFound, (await Uploads.AppendAsync(abandoned, 10, new MemoryStream(), null, None)).Status);
        Assert.Equal(CommitStatus.UploadNotFound, (await Uploads.CommitAsync(abandoned, Digest.Compute([]), null, None)).Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.PurgeUploadsAsync))]
    public async Task Append_keeps_an_upload_from_being_purged()
    {
        var uploadId = await Uploads.BeginUploadAsync(None);
        Time.Advance(TimeSpan.FromHours(2));
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(Bytes(10, seed: 35)), null, None);

        var removed = await Uploads.PurgeUploadsAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), None);

        Assert.Equal(0, removed);
        Assert.Equal(10, await Uploads.GetUploadLengthAsync(uploadId, None));
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.AppendAsync))]
    public async Task Concurrent_appends_at_the_same_offset_admit_exactly_one()
    {
        var content = Bytes(MiB, seed: 37);
        var uploadId = await Uploads.BeginUploadAsync(None);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None))));

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.All(results, r => Assert.Equal(MiB, r.Length));
        Assert.Equal(CommitStatus.Committed, (await Uploads.CommitAsync(uploadId, Digest.Compute(content), MiB, None)).Status);
    }

    [Fact]
    [Covers<IBlobUploadStore>(nameof(IBlobUploadStore.CommitAsync))]
    public async Task Concurrent_commits_of_one_upload_publish_it_once()
    {
        var content = Bytes(MiB, seed: 38);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => await Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None))));

        Assert.Single(results, r => r.Status == CommitStatus.Committed);
        Assert.Equal(3, results.Count(r => r.Status == CommitStatus.UploadNotFound));
    }
}
