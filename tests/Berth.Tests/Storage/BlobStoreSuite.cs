using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The behaviour every blob-bytes backend (<see cref="IBlobStore"/>) must have. A backend's test class derives from this
/// and says how to open it over fresh backing storage.
/// </summary>
public abstract class BlobStoreSuite : BlobSuiteBase
{
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
    [Covers<IBlobStore>(nameof(IBlobStore.EnumerateAsync))]
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
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    [InlineData(999L, 1000L)]
    [InlineData(1001L, 1000L)]
    [InlineData(0L, 1L)]
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
    public async Task Put_of_a_stored_blob_succeeds_and_leaves_it_as_it_was()
    {
        var content = Bytes(2048, seed: 7);
        var digest = await PutAsync(content);
        var stored = await Store.StatAsync(digest, None);
        Time.Advance(TimeSpan.FromHours(5));

        var again = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);

        // A blob's age for garbage collection lives in the metadata store, so a repeated put need not touch the bytes.
        Assert.Equal(new CommitResult(CommitStatus.Committed, 2048, digest), again);
        Assert.Equal(stored, await Store.StatAsync(digest, None));
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
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Empty_blob_can_be_stored_and_read()
    {
        var digest = Digest.Parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        var result = await Store.PutAsync(new MemoryStream(), digest, 0, None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(0, (await Store.StatAsync(digest, None))?.Length);
        Assert.Empty(await ReadAsync(Store, digest));
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
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
    [Covers<IBlobStore>(nameof(IBlobStore.OpenReadAsync))]
    [InlineData(0L, 10L)]
    [InlineData(5L, 1L)]
    [InlineData(1000L, 24L)]
    [InlineData(1024L, 0L)]
    [InlineData(3L, null)]
    [InlineData(0L, null)]
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
    [Covers<IBlobStore>(nameof(IBlobStore.DeleteAsync))]
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
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
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
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
    [Covers<IBlobStore>(nameof(IBlobStore.PutAsync))]
    public async Task Concurrent_puts_of_different_blobs_all_succeed()
    {
        var contents = Enumerable.Range(0, 8).Select(i => Bytes(256 * 1024, seed: 100 + i)).ToArray();

        var results = await Task.WhenAll(contents.Select(c =>
            Task.Run(async () => await Store.PutAsync(new MemoryStream(c), Digest.Compute(c), c.Length, None))));

        Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
        Assert.Equal(8, (await ListAsync(Store.EnumerateAsync(None))).Count);
    }

    [Fact]
    [Covers<IBlobStore>(nameof(IBlobStore.TryGetReadUrlAsync))]
    public async Task Read_url_when_offered_serves_exactly_the_blob()
    {
        var content = Bytes(5000, seed: 40);
        var digest = await PutAsync(content);

        var url = await Store.TryGetReadUrlAsync(digest, TimeSpan.FromMinutes(15), None);

        // A backend without URLs answers null and serves bytes through OpenReadAsync; one with URLs must serve the blob.
        if (url is not null)
        {
            Assert.True(url.IsAbsoluteUri);
            Assert.Contains(url.Scheme, (string[])["http", "https"]);
            using var http = new HttpClient();
            Assert.Equal(content, await http.GetByteArrayAsync(url));
        }
    }
}
