using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Berth.Domain;
using Berth.Domain.Uploads;
using Berth.Storage.FileSystem;

namespace Berth.Storage.S3;

/// <summary>
/// Chunked uploads in S3 that any node sharing the bucket can continue: every upload keeps its resumable state in one
/// object (<see cref="S3UploadRecord"/>) beside its bytes, under <c>uploads/&lt;id&gt;/</c>.
/// </summary>
/// <remarks>
/// <para>Chunks of any size meet S3's 5 MiB minimum part like this: an append fills one part-sized buffer, first with
/// its own bytes after room for the stored tail; each time the buffer fills, the tail's bytes are read back in front of
/// them and the whole part is sent to the upload's multipart upload. Whatever is left over (less than a part) is
/// written as one more tail segment object. Memory per append or commit is therefore one part
/// (<see cref="S3BlobStore.PartSize"/>), whatever the chunk or blob size, and each byte is written to S3 at most twice.</para>
/// <para>The running SHA-256 is stored in the record (<see cref="ResumableSha256"/>) and the record is written last,
/// conditionally on the ETag it was read with, so an append counts only once it is recorded; a failed or refused
/// append leaves the record as it was, and its stray part or segment is overwritten or removed.</para>
/// <para>A commit verifies the running hash (sha512 uploads: the assembled bytes) before anything is visible under the
/// digest, completes the multipart upload at <c>uploads/&lt;id&gt;/data</c>, and copies it server side to the blob's
/// key; an upload smaller than one part goes from its tail straight to the blob's key in one request.</para>
/// </remarks>
public sealed class S3UploadStore : IBlobUploadStore, IDisposable
{
    private readonly S3Bucket _bucket;
    private readonly TimeProvider _time;

    // Serialises operations on one upload within this node; across nodes the record's conditional write does.
    private readonly UploadStates _gates = new();

    public S3UploadStore(IAmazonS3 client, string bucket, string prefix, TimeProvider time)
        : this(new S3Bucket(client, bucket, prefix), time)
    {
    }

    internal S3UploadStore(S3Bucket bucket, TimeProvider time)
    {
        _bucket = bucket;
        _time = time;
    }

    public async ValueTask<Guid> BeginUploadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var uploadId = Guid.CreateVersion7(now);
        await WriteRecordAsync(uploadId, new S3UploadRecord(0, now, null, [], [], new ResumableSha256().Export()), null, cancellationToken);
        return uploadId;
    }

    public async ValueTask<AppendResult> AppendAsync(Guid uploadId, long expectedOffset, Stream source, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedOffset);
        if (maxBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxBytes));
        }

        using var lease = await _gates.EnterAsync(uploadId, cancellationToken);
        if (await ReadRecordAsync(uploadId, cancellationToken) is not var (stored, etag))
        {
            lease.Retire();
            return new AppendResult(AppendStatus.UploadNotFound, 0);
        }

        if (stored.Length != expectedOffset)
        {
            return new AppendResult(AppendStatus.OffsetMismatch, stored.Length);
        }

        var hash = RunningHash(uploadId, stored);

        // While the bytes stream, the record's activity time moves (same content, conditional on the ETag this append
        // holds, which then moves with it), so no node's purge takes a long append for an abandoned upload. A refresh
        // that loses to another writer stops; this append's own record write will then fail the same way.
        var refreshing = true;
        source = new ActivityStream(source, _time, ActivityStream.RefreshInterval, async ct =>
        {
            if (refreshing)
            {
                var content = JsonSerializer.SerializeToUtf8Bytes(stored with { Modified = _time.GetUtcNow() }, S3JsonContext.Default.S3UploadRecord);
                var moved = await _bucket.PutTaggedAsync(RecordKey(uploadId), content, null, etag, ct);
                refreshing = moved is not null;
                etag = moved ?? etag;
            }
        });
        var dataKey = DataKey(uploadId);
        var parts = new List<S3UploadPart>(stored.Parts);
        var tail = new List<S3TailSegment>(stored.Tail);
        var tailLength = (int)stored.TailLength;
        var multipartId = stored.MultipartUploadId;
        var written = new List<string>();
        string? opened = null;
        var sentTail = new List<string>();
        var recorded = false;
        var buffer = ArrayPool<byte>.Shared.Rent(S3BlobStore.PartSize);
        try
        {
            long received = 0;
            while (true)
            {
                // The buffer's first tailLength bytes are kept for the stored tail, read only if a part fills.
                var room = S3BlobStore.PartSize - tailLength;
                var want = maxBytes is { } limit && limit - received < room ? (int)(limit - received) + 1 : room;
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(tailLength, want), want, throwOnEndOfStream: false, cancellationToken);
                received += read;
                if (maxBytes is { } cap && received > cap)
                {
                    return new AppendResult(AppendStatus.TooLarge, stored.Length);
                }

                hash.Append(buffer.AsSpan(tailLength, read));
                if (read < want)
                {
                    if (read > 0)
                    {
                        var segment = SegmentKey(uploadId);
                        written.Add(segment);
                        await _bucket.PutAsync(segment, buffer.AsMemory(tailLength, read), null, cancellationToken);
                        tail.Add(new S3TailSegment(segment, read));
                    }

                    break;
                }

                await ReadTailAsync(tail, buffer.AsMemory(0, tailLength), cancellationToken);
                if (multipartId is null)
                {
                    multipartId = opened = await _bucket.StartMultipartAsync(dataKey, null, cancellationToken);
                }

                if (parts.Count == S3Bucket.MaxParts)
                {
                    throw new InvalidOperationException($"A blob may hold at most {(long)S3Bucket.MaxParts * S3BlobStore.PartSize} bytes in S3.");
                }

                parts.Add(await _bucket.UploadPartAsync(dataKey, multipartId, parts.Count + 1, buffer.AsMemory(0, S3BlobStore.PartSize), cancellationToken));
                foreach (var segment in tail)
                {
                    sentTail.Add(segment.Key);
                }

                tail.Clear();
                tailLength = 0;
            }

            var appended = new S3UploadRecord(stored.Length + received, _time.GetUtcNow(), multipartId, parts, tail, hash.Export());
            if (!await WriteRecordAsync(uploadId, appended, etag, cancellationToken))
            {
                // Another node appended meanwhile: this chunk lost the race, as with a wrong offset.
                var current = await ReadRecordAsync(uploadId, cancellationToken);
                return current is { } now ? new AppendResult(AppendStatus.OffsetMismatch, now.Record.Length) : new AppendResult(AppendStatus.UploadNotFound, 0);
            }

            recorded = true;
            await DeleteQuietlyAsync(sentTail);
            return new AppendResult(AppendStatus.Appended, appended.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!recorded)
            {
                await ForgetUnrecordedAsync(written, opened, dataKey);
            }
        }
    }

    public async ValueTask<long?> GetUploadLengthAsync(Guid uploadId, CancellationToken cancellationToken) =>
        (await ReadRecordAsync(uploadId, cancellationToken))?.Record.Length;

    public async ValueTask<CommitResult> CommitAsync(Guid uploadId, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        S3BlobStore.ThrowIfEmpty(expected);
        using var lease = await _gates.EnterAsync(uploadId, cancellationToken);
        if (await ReadRecordAsync(uploadId, cancellationToken) is not var (record, _))
        {
            lease.Retire();
            return new CommitResult(CommitStatus.UploadNotFound, 0, default);
        }

        // The upload ends here unless the commit fails unexpectedly (S3 error, cancellation), when it may be retried.
        var result = await CommitRacingAsync(uploadId, record, expected, expectedLength, cancellationToken);
        if (result.Status != CommitStatus.UploadNotFound)
        {
            await DiscardAfterCommitAsync(uploadId, record, cancellationToken);
        }

        lease.Retire();
        return result;
    }

    public async ValueTask<bool> AbortAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(uploadId, cancellationToken);
        var found = await ReadRecordAsync(uploadId, cancellationToken);
        if (found is { } existing)
        {
            await DiscardAsync(uploadId, existing.Record, cancellationToken);
        }

        lease.Retire();
        return found is not null;
    }

    public async IAsyncEnumerable<UploadInfo> EnumerateUploadsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _bucket.ListAsync(BlobKeys.UploadsPrefix + "/", cancellationToken))
        {
            if (TryParseRecordKey(item.Key, out var uploadId) && await ReadRecordAsync(uploadId, cancellationToken) is var (record, _))
            {
                yield return new UploadInfo(uploadId, record.Length, record.Modified);
            }
        }
    }

    public async ValueTask<int> PurgeUploadsAsync(DateTimeOffset modifiedBefore, CancellationToken cancellationToken)
    {
        // One pass over uploads/: which uploads have a record, and the objects of each.
        var objects = new Dictionary<Guid, List<(string Key, DateTimeOffset Modified)>>();
        var withRecord = new HashSet<Guid>();
        await foreach (var item in _bucket.ListAsync(BlobKeys.UploadsPrefix + "/", cancellationToken))
        {
            if (!TryParseUploadKey(item.Key, out var uploadId, out var name))
            {
                continue;
            }

            if (name == RecordName)
            {
                withRecord.Add(uploadId);
            }
            else
            {
                if (!objects.TryGetValue(uploadId, out var list))
                {
                    objects[uploadId] = list = [];
                }

                list.Add((item.Key, ToOffset(item.LastModified)));
            }
        }

        var removed = 0;
        foreach (var uploadId in withRecord)
        {
            // An upload this node is working on right now is not abandoned, however long ago its last write.
            if (!_gates.TryEnter(uploadId, out var lease))
            {
                continue;
            }

            using (lease)
            {
                if (await ReadRecordAsync(uploadId, cancellationToken) is var (record, _) && record.Modified < modifiedBefore)
                {
                    await DiscardAsync(uploadId, record, cancellationToken);
                    lease.Retire();
                    removed++;
                }
            }
        }

        // Objects of uploads whose record is gone: a commit or abort that stopped halfway. Judged by S3's clock, since
        // nothing else recorded them.
        foreach (var (uploadId, list) in objects)
        {
            if (!withRecord.Contains(uploadId) && list.TrueForAll(o => o.Modified < modifiedBefore))
            {
                await _bucket.DeleteKeysAsync(list.ConvertAll(o => _bucket.Key(o.Key)), cancellationToken);
                removed++;
            }
        }

        // Multipart uploads nobody recorded: an append or a put that died before finishing.
        await foreach (var upload in _bucket.ListMultipartAsync(cancellationToken))
        {
            var relative = _bucket.Relative(upload.Key);
            var owned = relative is not null && TryParseUploadKey(relative, out var uploadId, out _) && withRecord.Contains(uploadId);
            if (!owned && upload.Initiated is { } initiated && ToOffset(initiated) < modifiedBefore)
            {
                await _bucket.AbortMultipartAsync(upload.Key, upload.UploadId, cancellationToken);
                removed++;
            }
        }

        return removed;
    }

    public void Dispose() => _gates.Dispose();

    // Tries of one commit racing another node's commit of the same upload (see CommitRacingAsync).
    private const int CommitAttempts = 5;

    private const string RecordName = "state";
    private const string DataName = "data";
    private const string SegmentPrefix = "tail-";

    /// <summary>
    /// Commits, allowing for another node committing or discarding the same upload at the same moment: the gate above is
    /// this node's only, so the other node's steps can pull the ground from under this one's (parts completed or
    /// aborted, tail segments deleted, the record gone). A failing S3 call is then judged by what is left: the record
    /// gone means the other node finished, and this commit succeeded too if it verified the bytes against the digest and
    /// the blob is stored (else the upload is unknown, as for any client arriving after the end); the record still there
    /// means the other node is still working, so this one tries again, each step finding what the other already did.
    /// </summary>
    private async ValueTask<CommitResult> CommitRacingAsync(Guid uploadId, S3UploadRecord record, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCommitAsync(uploadId, record, expected, expectedLength, cancellationToken);
            }
            catch (Exception e) when (e is AmazonS3Exception or UploadVanishedException && attempt < CommitAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
                if (await ReadRecordAsync(uploadId, cancellationToken) is var (current, _))
                {
                    record = current;
                    continue;
                }

                var holds = HoldsSha256(uploadId, record, expected) && (expectedLength is null || expectedLength == record.Length);
                return holds && await _bucket.HeadAsync(BlobKeys.Blob(expected), cancellationToken) is not null
                    ? new CommitResult(CommitStatus.Committed, record.Length, expected)
                    : new CommitResult(CommitStatus.UploadNotFound, 0, default);
            }
        }
    }

    // Once the commit is decided the upload goes; a step failing here (another node discarding it at the same time)
    // leaves objects without a record, which the purge removes.
    private async ValueTask DiscardAfterCommitAsync(Guid uploadId, S3UploadRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await DiscardAsync(uploadId, record, cancellationToken);
        }
        catch (AmazonS3Exception)
        {
        }
    }

    // Whether the running hash of the recorded bytes is the sha256 digest expected (false for any other algorithm).
    private static bool HoldsSha256(Guid uploadId, S3UploadRecord record, Digest expected) =>
        expected.Algorithm == DigestAlgorithm.Sha256 && RunningHash(uploadId, record).Current() == expected;

    private static ResumableSha256 RunningHash(Guid uploadId, S3UploadRecord record) =>
        ResumableSha256.TryImport(record.Sha256)
            ?? throw new InvalidDataException($"Upload {uploadId} has a hash state this version cannot read.");

    private async ValueTask<CommitResult> TryCommitAsync(Guid uploadId, S3UploadRecord record, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        var length = record.Length;
        if (expectedLength is { } n && n != length)
        {
            return new CommitResult(CommitStatus.LengthMismatch, length, default);
        }

        var key = BlobKeys.Blob(expected);
        Digest computed = default;
        if (expected.Algorithm == DigestAlgorithm.Sha256)
        {
            computed = RunningHash(uploadId, record).Current();
            if (computed != expected)
            {
                return new CommitResult(CommitStatus.DigestMismatch, length, computed);
            }

            // Verified, and stored already: nothing to publish.
            if (await _bucket.HeadAsync(key, cancellationToken) is not null)
            {
                return new CommitResult(CommitStatus.Committed, length, computed);
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(S3BlobStore.PartSize);
        try
        {
            var tailLength = (int)record.TailLength;
            await ReadTailAsync(record.Tail, buffer.AsMemory(0, tailLength), cancellationToken);
            if (record.MultipartUploadId is null)
            {
                // Smaller than a part: the tail is the whole upload, verified in memory and written in one request.
                if (computed.IsEmpty)
                {
                    computed = Digest.FromHash(expected.Algorithm, SHA512.HashData(buffer.AsSpan(0, tailLength)));
                    if (computed != expected)
                    {
                        return new CommitResult(CommitStatus.DigestMismatch, length, computed);
                    }
                }

                await _bucket.PublishAsync(key, async () => await _bucket.PutAsync(key, buffer.AsMemory(0, tailLength), S3Bucket.CommittedAt(_time.GetUtcNow()), cancellationToken), cancellationToken);

                return new CommitResult(CommitStatus.Committed, length, computed);
            }

            var dataKey = DataKey(uploadId);
            var data = await _bucket.HeadAsync(dataKey, cancellationToken);
            if (data is null)
            {
                var parts = new List<S3UploadPart>(record.Parts);
                if (tailLength > 0)
                {
                    parts.Add(await _bucket.UploadPartAsync(dataKey, record.MultipartUploadId, parts.Count + 1, buffer.AsMemory(0, tailLength), cancellationToken));
                }

                await _bucket.CompleteMultipartAsync(dataKey, record.MultipartUploadId, parts, cancellationToken);
                data = await _bucket.HeadAsync(dataKey, cancellationToken);
            }

            // Completed, and then gone: another node committing the same upload has finished and discarded it.
            if (data is null)
            {
                throw new UploadVanishedException(dataKey);
            }

            // S3 assembled the parts the record names (their ETags must match), so the object is the hashed bytes; its
            // length is checked all the same, since publishing anything else under the digest would be unrecoverable.
            if (data.ContentLength != length)
            {
                throw new InvalidDataException($"Upload {uploadId} assembled to {data.ContentLength} bytes, not the {length} recorded.");
            }

            if (computed.IsEmpty)
            {
                computed = await HashObjectAsync(dataKey, length, expected.Algorithm, cancellationToken);
                if (computed != expected)
                {
                    return new CommitResult(CommitStatus.DigestMismatch, length, computed);
                }
            }

            await _bucket.PublishAsync(key, () => _bucket.CopyAsync(dataKey, key, length, S3Bucket.CommittedAt(_time.GetUtcNow()), cancellationToken), cancellationToken);

            return new CommitResult(CommitStatus.Committed, length, computed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Reads the stored bytes back, for a digest the running SHA-256 cannot answer (sha512).
    private async ValueTask<Digest> HashObjectAsync(string key, long length, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(Digest.ToHashAlgorithmName(algorithm));
        using var response = await _bucket.GetAsync(key, 0, length - 1, cancellationToken)
            ?? throw new UploadVanishedException(key);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return S3BlobStore.FinishHash(hash, algorithm);
    }

    private async ValueTask ReadTailAsync(IReadOnlyList<S3TailSegment> tail, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var offset = 0;
        foreach (var segment in tail)
        {
            await _bucket.ReadIntoAsync(segment.Key, destination.Slice(offset, (int)segment.Size), cancellationToken);
            offset += (int)segment.Size;
        }
    }

    // Removes an upload: its record first, so that from then on it is gone for every node, then its bytes.
    private async ValueTask DiscardAsync(Guid uploadId, S3UploadRecord record, CancellationToken cancellationToken)
    {
        await _bucket.DeleteAsync(RecordKey(uploadId), cancellationToken);
        if (record.MultipartUploadId is { } multipartId)
        {
            await _bucket.AbortMultipartAsync(_bucket.Key(DataKey(uploadId)), multipartId, cancellationToken);
        }

        var keys = new List<string>();
        await foreach (var item in _bucket.ListAsync(BlobKeys.Upload(uploadId) + "/", cancellationToken))
        {
            keys.Add(_bucket.Key(item.Key));
        }

        await _bucket.DeleteKeysAsync(keys, cancellationToken);
    }

    // After an append that did not count: its segment and any multipart upload it opened are nobody's.
    private async ValueTask ForgetUnrecordedAsync(List<string> segments, string? openedMultipartId, string dataKey)
    {
        await DeleteQuietlyAsync(segments);
        if (openedMultipartId is { } multipartId)
        {
            try
            {
                await _bucket.AbortMultipartAsync(_bucket.Key(dataKey), multipartId, CancellationToken.None);
            }
            catch (AmazonS3Exception)
            {
                // The purge aborts multipart uploads no record names.
            }
        }
    }

    // Leftover segments cost space, not correctness: the purge removes any this misses.
    private async ValueTask DeleteQuietlyAsync(List<string> relativeKeys)
    {
        if (relativeKeys.Count == 0)
        {
            return;
        }

        try
        {
            await _bucket.DeleteKeysAsync(relativeKeys.ConvertAll(_bucket.Key), CancellationToken.None);
        }
        catch (AmazonS3Exception)
        {
        }
    }

    private async ValueTask<(S3UploadRecord Record, string ETag)?> ReadRecordAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        if (await _bucket.GetSmallAsync(RecordKey(uploadId), cancellationToken) is not var (content, etag))
        {
            return null;
        }

        var record = JsonSerializer.Deserialize(content, S3JsonContext.Default.S3UploadRecord)
            ?? throw new InvalidDataException($"Upload {uploadId} has an empty record.");
        return (record, etag);
    }

    private ValueTask<bool> WriteRecordAsync(Guid uploadId, S3UploadRecord record, string? ifMatch, CancellationToken cancellationToken) =>
        _bucket.PutAsync(RecordKey(uploadId), JsonSerializer.SerializeToUtf8Bytes(record, S3JsonContext.Default.S3UploadRecord), null, cancellationToken, ifMatch);

    private static string RecordKey(Guid uploadId) => string.Concat(BlobKeys.Upload(uploadId), "/", RecordName);

    private static string DataKey(Guid uploadId) => string.Concat(BlobKeys.Upload(uploadId), "/", DataName);

    private static string SegmentKey(Guid uploadId) => string.Concat(BlobKeys.Upload(uploadId), "/", SegmentPrefix, Guid.NewGuid().ToString("N"));

    // "uploads/<id>/<name>", with the id in the canonical form the store writes.
    private static bool TryParseUploadKey(string key, out Guid uploadId, out string name)
    {
        uploadId = default;
        name = string.Empty;
        if (!key.StartsWith(BlobKeys.UploadsPrefix + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(BlobKeys.UploadsPrefix.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash < 0 || !BlobKeys.TryParseUploadName(rest[..slash], out uploadId))
        {
            return false;
        }

        name = rest[(slash + 1)..].ToString();
        return true;
    }

    private static bool TryParseRecordKey(string key, out Guid uploadId) =>
        TryParseUploadKey(key, out uploadId, out var name) && name == RecordName;

    private static DateTimeOffset ToOffset(DateTime? time) =>
        new(DateTime.SpecifyKind(time ?? DateTime.UnixEpoch, DateTimeKind.Utc));

    /// <summary>An object of the upload disappeared during its commit: another node's commit or abort removed it.</summary>
    private sealed class UploadVanishedException(string key) : Exception($"Object {key} vanished while it was being committed.");
}
