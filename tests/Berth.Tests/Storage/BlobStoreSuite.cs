using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The behaviour every blob store backend must have. A backend's test class derives from this and says how to open a
/// store over fresh backing storage; xunit makes a new instance, hence new storage, for every test.
/// </summary>
public abstract class BlobStoreSuite : IDisposable
{
    private const int MiB = 1024 * 1024;

    private readonly List<IBlobStore> _opened = [];
    private IBlobStore? _store;

    protected BlobStoreSuite()
    {
        var now = DateTimeOffset.UtcNow;
        Time = new ManualTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero));
    }

    protected ManualTimeProvider Time { get; }

    /// <summary>The store most tests use, opened on first use.</summary>
    protected IBlobStore Store => _store ??= Reopen();

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>A new store instance over this test's backing storage: a restart, or another node sharing the storage.</summary>
    protected IBlobStore Reopen()
    {
        var store = OpenStore(Time);
        _opened.Add(store);
        return store;
    }

    /// <summary>Opens a store over this test's backing storage; every call returns a new instance over the same storage.</summary>
    protected abstract IBlobStore OpenStore(TimeProvider time);

    public virtual void Dispose()
    {
        foreach (var store in _opened)
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.StatAsync))]
    public async Task Put_then_Stat_reports_digest_length_and_commit_time()
    {
        var content = Bytes(1000, seed: 1);
        var digest = Digest.Compute(content);

        var result = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, 1000, digest), result);
        Assert.Equal(new BlobInfo(digest, 1000, Time.GetUtcNow()), await Store.StatAsync(digest, None));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.OpenReadAsync))]
    public async Task Put_then_OpenRead_returns_the_exact_bytes()
    {
        var content = Bytes(3 * MiB + 17, seed: 2);
        var digest = await PutAsync(content);

        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_without_expected_length_accepts_any_length()
    {
        var content = Bytes(5000, seed: 3);
        var digest = Digest.Compute(content);

        var result = await Store.PutAsync(new MemoryStream(content), digest, expectedLength: null, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(5000, result.Length);
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.StatAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.OpenReadAsync))]
    public async Task Stat_and_OpenRead_of_an_unknown_blob_return_null()
    {
        var digest = Digest.Compute("never stored"u8);

        Assert.Null(await Store.StatAsync(digest, None));
        Assert.Null(await Store.OpenReadAsync(digest, 0, null, None));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_with_the_wrong_digest_returns_DigestMismatch_and_stores_nothing()
    {
        var content = Bytes(4096, seed: 4);
        var claimed = Digest.Compute("something else"u8);

        var result = await Store.PutAsync(new MemoryStream(content), claimed, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.DigestMismatch, 4096, Digest.Compute(content)), result);
        Assert.Null(await Store.StatAsync(claimed, None));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
        Assert.Empty(await ListAsync(Store.EnumerateAsync(None)));
    }

    [Theory]
    [InlineData(999L, 1000L)]
    [InlineData(1001L, 1000L)]
    [InlineData(0L, 1L)]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_with_the_wrong_length_returns_LengthMismatch_and_stores_nothing(long expectedLength, long received)
    {
        var content = Bytes(1000, seed: 5);
        var digest = Digest.Compute(content);

        var result = await Store.PutAsync(new MemoryStream(content), digest, expectedLength, None);

        Assert.Equal(new CommitResult(CommitStatus.LengthMismatch, received, default), result);
        Assert.Null(await Store.StatAsync(digest, None));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_stops_reading_soon_after_the_expected_length_is_exceeded()
    {
        var digest = Digest.Compute("irrelevant"u8);

        var result = await Store.PutAsync(new PatternStream(long.MaxValue, seed: 6), digest, 10, None);

        Assert.Equal(CommitStatus.LengthMismatch, result.Status);
        Assert.Equal(11, result.Length);
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_of_a_stored_blob_succeeds_and_refreshes_its_age()
    {
        var content = Bytes(2048, seed: 7);
        var digest = await PutAsync(content);
        Time.Advance(TimeSpan.FromHours(5));

        var again = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);

        Assert.Equal(CommitStatus.Committed, again.Status);
        Assert.Equal(new BlobInfo(digest, 2048, Time.GetUtcNow()), await Store.StatAsync(digest, None));
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Put_claiming_a_stored_digest_with_other_bytes_is_rejected()
    {
        var content = Bytes(2048, seed: 8);
        var digest = await PutAsync(content);
        var forged = Bytes(2048, seed: 9);

        var result = await Store.PutAsync(new MemoryStream(forged), digest, forged.Length, None);

        Assert.Equal(CommitStatus.DigestMismatch, result.Status);
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task Empty_blob_can_be_stored_and_read()
    {
        var digest = Digest.Parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        var result = await Store.PutAsync(new MemoryStream(), digest, 0, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(0, (await Store.StatAsync(digest, None))?.Length);
        Assert.Empty(await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task Sha512_blob_can_be_stored_and_read()
    {
        var content = Bytes(70_000, seed: 10);
        var digest = Digest.Compute(DigestAlgorithm.Sha512, content);

        var result = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(content, await ReadAsync(Store, digest));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
    }

    [Theory]
    [InlineData(0L, 10L)]
    [InlineData(5L, 1L)]
    [InlineData(1000L, 24L)]
    [InlineData(1024L, 0L)]
    [InlineData(3L, null)]
    [InlineData(0L, null)]
    [Covers<IBlobStore>(nameof(IBlobStore.OpenReadAsync))]
    public async Task OpenRead_returns_the_requested_range(long offset, long? length)
    {
        var content = Bytes(1024, seed: 11);
        var digest = await PutAsync(content);

        var read = await ReadAsync(Store, digest, offset, length);

        var expected = content.AsSpan((int)offset, (int)(length ?? content.Length - offset)).ToArray();
        Assert.Equal(expected, read);
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.OpenReadAsync))]
    public async Task OpenRead_range_past_the_end_is_clamped_to_the_blob()
    {
        var content = Bytes(100, seed: 12);
        var digest = await PutAsync(content);

        await using var stream = await Store.OpenReadAsync(digest, 90, 50, None);

        Assert.NotNull(stream);
        Assert.Equal(10, stream.Length);
        Assert.Equal(content[90..], await ReadAsync(Store, digest, 90, 50));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.BeginUploadAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.AppendAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.CommitAsync))]
    public async Task Chunked_upload_commits_to_a_readable_blob()
    {
        var content = Bytes(2 * MiB + 3, seed: 13);
        var digest = Digest.Compute(content);
        var uploadId = await Store.BeginUploadAsync(None);

        long offset = 0;
        foreach (var size in (int[])[MiB, 5, MiB - 2])
        {
            var appended = await Store.AppendAsync(uploadId, offset, new MemoryStream(content, (int)offset, size), null, None);
            Assert.Equal(new AppendResult(AppendStatus.Appended, offset + size), appended);
            offset += size;
        }

        var result = await Store.CommitAsync(uploadId, digest, content.Length, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, content.Length, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
        Assert.Null(await Store.GetUploadLengthAsync(uploadId, None));
    }

    // Chunk sizes that start and end inside and on 4 KiB blocks and the 1 MiB copy buffer, where a store that writes
    // aligned blocks differently from the rest (the filesystem's direct I/O) could misplace bytes.
    [Theory]
    [InlineData(new[] { 1, 4095, 4096, 4097 })]
    [InlineData(new[] { 4096, 8192, MiB })]
    [InlineData(new[] { MiB + 1, MiB - 1, 3 * 4096 + 7, 1 })]
    [InlineData(new[] { 100, MiB, 2 * MiB + 4000 })]
    public async Task Chunks_of_any_size_and_alignment_commit_to_the_exact_bytes(int[] sizes)
    {
        var content = Bytes(sizes.Sum(), seed: 30);
        var uploadId = await Store.BeginUploadAsync(None);

        long offset = 0;
        foreach (var size in sizes)
        {
            // Small reads, as a socket delivers them, must not change where the bytes land.
            using var source = new TrickleStream(new MemoryStream(content, (int)offset, size), 3000);
            Assert.Equal(new AppendResult(AppendStatus.Appended, offset + size), await Store.AppendAsync(uploadId, offset, source, size, None));
            offset += size;
        }

        var digest = Digest.Compute(content);
        Assert.Equal(CommitStatus.Committed, (await Store.CommitAsync(uploadId, digest, content.Length, None)).Status);
        Assert.Equal(content, await ReadAsync(Store, digest));

        // A put streams through the same path in one go.
        var single = Bytes(sizes.Sum() + 4096, seed: 31);
        Assert.Equal(CommitStatus.Committed, (await Store.PutAsync(new TrickleStream(new MemoryStream(single), 5000), Digest.Compute(single), single.Length, None)).Status);
        Assert.Equal(single, await ReadAsync(Store, Digest.Compute(single)));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.GetUploadLengthAsync))]
    public async Task Upload_length_tracks_appended_bytes()
    {
        var uploadId = await Store.BeginUploadAsync(None);
        Assert.Equal(0, await Store.GetUploadLengthAsync(uploadId, None));

        await Store.AppendAsync(uploadId, 0, new MemoryStream(Bytes(300, seed: 14)), null, None);

        Assert.Equal(300, await Store.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Store.GetUploadLengthAsync(Guid.NewGuid(), None));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.AppendAsync))]
    public async Task Append_at_the_wrong_offset_returns_OffsetMismatch_and_leaves_the_upload_intact()
    {
        var content = Bytes(200, seed: 15);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 100), null, None);

        var tooFar = await Store.AppendAsync(uploadId, 150, new MemoryStream(content, 100, 100), null, None);
        var repeated = await Store.AppendAsync(uploadId, 0, new MemoryStream(content, 100, 100), null, None);

        Assert.Equal(new AppendResult(AppendStatus.OffsetMismatch, 100), tooFar);
        Assert.Equal(new AppendResult(AppendStatus.OffsetMismatch, 100), repeated);
        Assert.Equal(AppendStatus.Appended, (await Store.AppendAsync(uploadId, 100, new MemoryStream(content, 100, 100), null, None)).Status);
        Assert.Equal(CommitStatus.Committed, (await Store.CommitAsync(uploadId, Digest.Compute(content), 200, None)).Status);
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.AppendAsync))]
    public async Task Append_to_an_unknown_upload_returns_UploadNotFound()
    {
        var result = await Store.AppendAsync(Guid.NewGuid(), 0, new MemoryStream(Bytes(10, seed: 16)), null, None);

        Assert.Equal(new AppendResult(AppendStatus.UploadNotFound, 0), result);
    }

    [Fact]
    public async Task Append_beyond_maxBytes_returns_TooLarge_and_keeps_the_upload_as_it_was()
    {
        var content = Bytes(3000, seed: 17);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 1000), null, None);

        var tooLarge = await Store.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 2000), maxBytes: 1999, None);
        var exact = await Store.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 2000), maxBytes: 2000, None);

        Assert.Equal(new AppendResult(AppendStatus.TooLarge, 1000), tooLarge);
        Assert.Equal(new AppendResult(AppendStatus.Appended, 3000), exact);
        Assert.Equal(CommitStatus.Committed, (await Store.CommitAsync(uploadId, Digest.Compute(content), 3000, None)).Status);
    }

    [Fact]
    public async Task Append_that_fails_midway_is_rolled_back_so_the_chunk_can_be_resent()
    {
        var content = Bytes(3 * MiB, seed: 18);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content, 0, MiB), null, None);

        await Assert.ThrowsAsync<IOException>(async () =>
            await Store.AppendAsync(uploadId, MiB, new FailingStream(content[MiB..(2 * MiB + 5)]), null, None));

        Assert.Equal(MiB, await Store.GetUploadLengthAsync(uploadId, None));
        var resent = await Store.AppendAsync(uploadId, MiB, new MemoryStream(content, MiB, 2 * MiB), null, None);
        Assert.Equal(new AppendResult(AppendStatus.Appended, 3 * MiB), resent);
        Assert.Equal(CommitStatus.Committed, (await Store.CommitAsync(uploadId, Digest.Compute(content), null, None)).Status);
        Assert.Equal(content, await ReadAsync(Store, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.CommitAsync))]
    public async Task Commit_with_the_wrong_digest_returns_DigestMismatch_and_discards_the_upload()
    {
        var content = Bytes(500, seed: 19);
        var claimed = Digest.Compute("other"u8);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Store.CommitAsync(uploadId, claimed, null, None);

        Assert.Equal(new CommitResult(CommitStatus.DigestMismatch, 500, Digest.Compute(content)), result);
        Assert.Null(await Store.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Store.StatAsync(claimed, None));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
    }

    [Fact]
    public async Task Commit_with_the_wrong_length_returns_LengthMismatch_and_discards_the_upload()
    {
        var content = Bytes(500, seed: 20);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Store.CommitAsync(uploadId, Digest.Compute(content), 501, None);

        Assert.Equal(CommitStatus.LengthMismatch, result.Status);
        Assert.Equal(500, result.Length);
        Assert.Null(await Store.GetUploadLengthAsync(uploadId, None));
        Assert.Null(await Store.StatAsync(Digest.Compute(content), None));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.CommitAsync))]
    public async Task Commit_of_an_unknown_upload_returns_UploadNotFound()
    {
        var result = await Store.CommitAsync(Guid.NewGuid(), Digest.Compute("x"u8), null, None);

        Assert.Equal(CommitStatus.UploadNotFound, result.Status);
    }

    [Fact]
    public async Task Commit_of_a_blob_already_stored_succeeds_and_ends_the_upload()
    {
        var content = Bytes(4000, seed: 21);
        var digest = await PutAsync(content);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Store.CommitAsync(uploadId, digest, 4000, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await Store.GetUploadLengthAsync(uploadId, None));
        Assert.Single(await ListAsync(Store.EnumerateAsync(None)));
    }

    [Fact]
    public async Task Empty_upload_commits_to_the_empty_blob()
    {
        var uploadId = await Store.BeginUploadAsync(None);

        var result = await Store.CommitAsync(uploadId, Digest.Compute([]), 0, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
    }

    [Fact]
    public async Task Upload_can_be_committed_as_sha512()
    {
        var content = Bytes(10_000, seed: 22);
        var digest = Digest.Compute(DigestAlgorithm.Sha512, content);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var result = await Store.CommitAsync(uploadId, digest, null, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, 10_000, digest), result);
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task Upload_survives_a_restart_and_continues_on_the_new_instance()
    {
        var content = Bytes(2 * MiB, seed: 23);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content, 0, MiB), null, None);

        var restarted = Reopen();
        Assert.Equal(MiB, await restarted.GetUploadLengthAsync(uploadId, None));
        var appended = await restarted.AppendAsync(uploadId, MiB, new MemoryStream(content, MiB, MiB), null, None);
        var result = await restarted.CommitAsync(uploadId, Digest.Compute(content), null, None);

        Assert.Equal(AppendStatus.Appended, appended.Status);
        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(content, await ReadAsync(restarted, Digest.Compute(content)));
    }

    [Fact]
    public async Task Commit_after_a_restart_verifies_the_stored_bytes()
    {
        var content = Bytes(MiB + 1, seed: 24);
        var good = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(good, 0, new MemoryStream(content), null, None);
        var bad = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(bad, 0, new MemoryStream(content), null, None);

        var restarted = Reopen();
        var committed = await restarted.CommitAsync(good, Digest.Compute(content), MiB + 1, None);
        var rejected = await restarted.CommitAsync(bad, Digest.Compute("not it"u8), null, None);

        Assert.Equal(new CommitResult(CommitStatus.Committed, MiB + 1, Digest.Compute(content)), committed);
        Assert.Equal(new CommitResult(CommitStatus.DigestMismatch, MiB + 1, Digest.Compute(content)), rejected);
        Assert.Null(await restarted.GetUploadLengthAsync(bad, None));
        Assert.Equal(content, await ReadAsync(restarted, Digest.Compute(content)));
    }

    [Fact]
    public async Task Commit_on_one_instance_counts_bytes_appended_through_another()
    {
        var content = Bytes(3000, seed: 25);
        var first = Store;
        var second = Reopen();
        var uploadId = await first.BeginUploadAsync(None);
        await first.AppendAsync(uploadId, 0, new MemoryStream(content, 0, 1000), null, None);
        await second.AppendAsync(uploadId, 1000, new MemoryStream(content, 1000, 1000), null, None);
        await first.AppendAsync(uploadId, 2000, new MemoryStream(content, 2000, 1000), null, None);

        var result = await first.CommitAsync(uploadId, Digest.Compute(content), 3000, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(content, await ReadAsync(second, Digest.Compute(content)));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.AbortAsync))]
    public async Task Abort_discards_the_upload()
    {
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(Bytes(100, seed: 26)), null, None);

        Assert.True(await Store.AbortAsync(uploadId, None));
        Assert.Null(await Store.GetUploadLengthAsync(uploadId, None));
        Assert.False(await Store.AbortAsync(uploadId, None));
        Assert.Equal(AppendStatus.UploadNotFound, (await Store.AppendAsync(uploadId, 100, new MemoryStream(), null, None)).Status);
        Assert.Empty(await ListAsync(Store.EnumerateUploadsAsync(None)));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.DeleteAsync))]
    public async Task Delete_removes_the_blob_and_reports_whether_it_was_stored()
    {
        var digest = await PutAsync(Bytes(100, seed: 27));

        Assert.True(await Store.DeleteAsync(digest, None));
        Assert.Null(await Store.StatAsync(digest, None));
        Assert.Null(await Store.OpenReadAsync(digest, 0, null, None));
        Assert.False(await Store.DeleteAsync(digest, None));
    }

    [Fact]
    public async Task Deleted_blob_can_be_stored_again()
    {
        var content = Bytes(100, seed: 28);
        var digest = await PutAsync(content);
        await Store.DeleteAsync(digest, None);

        await PutAsync(content);

        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.EnumerateAsync))]
    public async Task Enumerate_lists_every_blob_with_its_length_and_age()
    {
        var first = await PutAsync(Bytes(10, seed: 29));
        Time.Advance(TimeSpan.FromMinutes(3));
        var second = await PutAsync(Bytes(20, seed: 30));
        var third = Digest.Compute(DigestAlgorithm.Sha512, Bytes(30, seed: 31));
        await Store.PutAsync(new MemoryStream(Bytes(30, seed: 31)), third, 30, None);

        var blobs = await ListAsync(Store.EnumerateAsync(None));

        var start = Time.GetUtcNow() - TimeSpan.FromMinutes(3);
        Assert.Equal(
            new[] { new BlobInfo(first, 10, start), new BlobInfo(second, 20, Time.GetUtcNow()), new BlobInfo(third, 30, Time.GetUtcNow()) }
                .OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal),
            blobs.OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.EnumerateUploadsAsync))]
    public async Task EnumerateUploads_lists_uploads_in_progress_with_their_last_activity()
    {
        var idle = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(idle, 0, new MemoryStream(Bytes(10, seed: 32)), null, None);
        Time.Advance(TimeSpan.FromMinutes(10));
        var active = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(active, 0, new MemoryStream(Bytes(25, seed: 33)), null, None);
        var committed = await Store.BeginUploadAsync(None);
        await Store.CommitAsync(committed, Digest.Compute([]), 0, None);

        var uploads = await ListAsync(Store.EnumerateUploadsAsync(None));

        Assert.Equal(
            new[] { new UploadInfo(idle, 10, Time.GetUtcNow() - TimeSpan.FromMinutes(10)), new UploadInfo(active, 25, Time.GetUtcNow()) }
                .OrderBy(u => u.UploadId),
            uploads.OrderBy(u => u.UploadId));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PurgeUploadsAsync))]
    public async Task PurgeUploads_removes_only_uploads_idle_since_the_cutoff()
    {
        var abandoned = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(abandoned, 0, new MemoryStream(Bytes(10, seed: 34)), null, None);
        Time.Advance(TimeSpan.FromHours(2));
        var recent = await Store.BeginUploadAsync(None);

        var removed = await Store.PurgeUploadsAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), None);

        Assert.Equal(1, removed);
        Assert.Null(await Store.GetUploadLengthAsync(abandoned, None));
        Assert.Equal(0, await Store.GetUploadLengthAsync(recent, None));
        Assert.Equal(AppendStatus.UploadNotFound, (await Store.AppendAsync(abandoned, 10, new MemoryStream(), null, None)).Status);
        Assert.Equal(CommitStatus.UploadNotFound, (await Store.CommitAsync(abandoned, Digest.Compute([]), null, None)).Status);
    }

    [Fact]
    public async Task Append_keeps_an_upload_from_being_purged()
    {
        var uploadId = await Store.BeginUploadAsync(None);
        Time.Advance(TimeSpan.FromHours(2));
        await Store.AppendAsync(uploadId, 0, new MemoryStream(Bytes(10, seed: 35)), null, None);

        var removed = await Store.PurgeUploadsAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), None);

        Assert.Equal(0, removed);
        Assert.Equal(10, await Store.GetUploadLengthAsync(uploadId, None));
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_blob_all_succeed_and_store_it_once()
    {
        var content = Bytes(2 * MiB, seed: 36);
        var digest = Digest.Compute(content);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await Store.PutAsync(new MemoryStream(content), digest, content.Length, None))));

        Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
        Assert.Equal([digest], (await ListAsync(Store.EnumerateAsync(None))).Select(b => b.Digest));
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_blobs_all_succeed()
    {
        var contents = Enumerable.Range(0, 8).Select(i => Bytes(256 * 1024, seed: 100 + i)).ToArray();

        var results = await Task.WhenAll(contents.Select(c =>
            Task.Run(async () => await Store.PutAsync(new MemoryStream(c), Digest.Compute(c), c.Length, None))));

        Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
        Assert.Equal(8, (await ListAsync(Store.EnumerateAsync(None))).Count);
    }

    [Fact]
    public async Task Concurrent_appends_at_the_same_offset_admit_exactly_one()
    {
        var content = Bytes(MiB, seed: 37);
        var uploadId = await Store.BeginUploadAsync(None);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None))));

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.All(results, r => Assert.Equal(MiB, r.Length));
        Assert.Equal(CommitStatus.Committed, (await Store.CommitAsync(uploadId, Digest.Compute(content), MiB, None)).Status);
    }

    [Fact]
    public async Task Concurrent_commits_of_one_upload_publish_it_once()
    {
        var content = Bytes(MiB, seed: 38);
        var uploadId = await Store.BeginUploadAsync(None);
        await Store.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => await Store.CommitAsync(uploadId, Digest.Compute(content), null, None))));

        Assert.Single(results, r => r.Status == CommitStatus.Committed);
        Assert.Equal(3, results.Count(r => r.Status == CommitStatus.UploadNotFound));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.DeleteIfUnmodifiedAsync))]
    public async Task DeleteIfUnmodified_removes_a_blob_only_when_written_before_the_cutoff()
    {
        var content = Bytes(100, seed: 41);
        var digest = await PutAsync(content);
        var written = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromHours(1));

        Assert.False(await Store.DeleteIfUnmodifiedAsync(digest, written, None));
        Assert.NotNull(await Store.StatAsync(digest, None));

        // Pushed again meanwhile: its age starts over.
        await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);
        Assert.False(await Store.DeleteIfUnmodifiedAsync(digest, written.AddMinutes(30), None));
        Assert.Equal(content, await ReadAsync(Store, digest));

        Assert.True(await Store.DeleteIfUnmodifiedAsync(digest, Time.GetUtcNow().AddSeconds(1), None));
        Assert.Null(await Store.StatAsync(digest, None));
        Assert.False(await Store.DeleteIfUnmodifiedAsync(digest, Time.GetUtcNow().AddSeconds(1), None));
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<Digest> PutAsync(byte[] content)
    {
        var digest = Digest.Compute(content);
        var result = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return digest;
    }

    protected static async Task<byte[]> ReadAsync(IBlobStore store, Digest digest, long offset = 0, long? length = null)
    {
        await using var stream = await store.OpenReadAsync(digest, offset, length, None);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
