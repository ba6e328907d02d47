using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Berth.Domain;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// The default blob store and upload store: content-addressed, read-only files under the data directory
/// (docs/storage-layout.md). One class serves both ports because a commit publishes an upload's file by renaming it.
/// </summary>
/// <remarks>
/// Bytes stream to a file under <c>uploads/</c> or <c>staging/</c> while their hash is computed; a commit verifies the
/// digest and length, fsyncs the file, renames it to <c>blobs/…</c> and fsyncs the directory, so a blob name only ever
/// refers to complete, verified bytes. Metadata calls (open, stat, rename, unlink, mkdir) run inline: .NET has no
/// asynchronous form of them and they cost microseconds. Data transfer is asynchronous; fsync and directory listings,
/// which can take much longer, run on the thread pool.
/// </remarks>
public sealed class FileSystemBlobStore : IBlobStore, IBlobUploadStore, IDisposable
{
    private const UnixFileMode BlobFileMode = UnixFileMode.UserRead;
    private const UnixFileMode WorkFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _root;
    private readonly string _uploadsDirectory;
    private readonly string _stagingDirectory;
    private readonly TimeProvider _time;
    private readonly UploadStates _uploads = new();

    /// <summary>Opens (creating if needed) a store rooted at <paramref name="rootDirectory"/>, usually the data directory.</summary>
    public FileSystemBlobStore(string rootDirectory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _root = Path.GetFullPath(rootDirectory);
        _time = timeProvider;
        _uploadsDirectory = Path.Join(_root, BlobKeys.UploadsPrefix);
        _stagingDirectory = Path.Join(_root, BlobKeys.StagingPrefix);

        // Made once at start-up, so that the request path only ever creates fan-out directories.
        CreatePrivateDirectory(_root);
        CreatePrivateDirectory(_uploadsDirectory);
        CreatePrivateDirectory(_stagingDirectory);
        foreach (var algorithm in BlobKeys.Algorithms)
        {
            CreatePrivateDirectory(Path.Join(_root, BlobKeys.AlgorithmDirectory(algorithm)));
        }

        Durability.FlushDirectory(Path.Join(_root, BlobKeys.BlobsPrefix));
        Durability.FlushDirectory(_root);
    }

    /// <summary>The declared length from which a transfer is written with direct I/O instead of through the page cache.</summary>
    /// <remarks>
    /// Through the page cache a blob is read from memory when it is pulled right after its push (as CI does), at the cost
    /// of one copy of every byte; a transfer this large would instead push most of the cache out for one blob, so it
    /// skips the cache. Settable for tests, which exercise both paths with small blobs.
    /// </remarks>
    internal long DirectWriteThreshold { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// How many transfers must already be writing for a new one of at least <see cref="BusyDirectMinimum"/> bytes to be
    /// written with direct I/O.
    /// </summary>
    /// <remarks>
    /// With many pushes at once the machine runs out of CPU before the disk runs out of bandwidth, and copying every byte
    /// into fresh cache pages is then the largest single cost of a push (about a third of Berth's CPU with 16 pushes of
    /// 64 MiB, measured with perf; docs/benchmarks.md). Direct writes skip that copy, so the pushes that arrive while
    /// the store is busy trade a cached first pull for throughput; the first few keep the page cache.
    /// </remarks>
    internal int BusyTransfers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The declared length from which a transfer that starts while the store is busy is written directly.</summary>
    /// <remarks>Small blobs cost little to copy, are often pulled soon (configs, small layers) and are mostly unaligned head and tail.</remarks>
    internal long BusyDirectMinimum { get; init; } = 8L * 1024 * 1024;

    /// <summary>Transfers chosen for direct I/O so far (by size or because the store was busy); read by tests.</summary>
    internal long DirectTransfers => Interlocked.Read(ref _directTransfers);

    private int _transfers;
    private long _directTransfers;

    /// <summary>
    /// Copies a request body into <paramref name="file"/> as one counted transfer: direct when its declared length is
    /// past <see cref="DirectWriteThreshold"/>, or past <see cref="BusyDirectMinimum"/> while the store is busy.
    /// </summary>
    private async ValueTask<HashingCopy.Result> CopyAsync(
        Stream source, SafeFileHandle file, long offset, IncrementalHash? hash, long? declaredLength, CancellationToken cancellationToken)
    {
        var others = Interlocked.Increment(ref _transfers) - 1;
        try
        {
            var direct = declaredLength >= DirectWriteThreshold || (others >= BusyTransfers && declaredLength >= BusyDirectMinimum);
            if (direct)
            {
                Interlocked.Increment(ref _directTransfers);
            }

            return await HashingCopy.CopyAsync(source, file, offset, hash, declaredLength, direct, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _transfers);
        }
    }

    public ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var file = new FileInfo(BlobPath(digest));
        BlobInfo? info = file.Exists ? new BlobInfo(digest, file.Length, ToOffset(file.LastWriteTimeUtc)) : null;
        return ValueTask.FromResult(info);
    }

    public ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        }

        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }

        var size = RandomAccess.GetLength(file);
        if (offset > size)
        {
            file.Dispose();
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The blob holds {size} bytes.");
        }

        var count = Math.Min(length ?? long.MaxValue, size - offset);
        return ValueTask.FromResult<Stream?>(new FileRangeStream(file, offset, count));
    }

    /// <summary>Always null: a file has no URL of its own, so blobs are served through <see cref="OpenReadAsync"/>.</summary>
    public ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Uri?>(null);

    public async ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(expected);
        if (expectedLength is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(expectedLength));
        }

        // The staging id is held like an upload's, so a purge never removes the file while this put is writing it.
        using var lease = await _uploads.EnterAsync(Guid.CreateVersion7(_time.GetUtcNow()), cancellationToken);
        var stagedPath = Path.Join(_root, BlobKeys.Staging(lease.UploadId));
        SafeFileHandle? file = null;
        var published = false;
        try
        {
            file = CreateWorkFile(stagedPath, FileAccess.ReadWrite, FileOptions.Asynchronous);
            using var hash = IncrementalHash.CreateHash(Digest.ToHashAlgorithmName(expected.Algorithm));
            var copy = await CopyAsync(source, file, 0, hash, expectedLength, cancellationToken);
            if (copy.LimitExceeded || (expectedLength is { } length && copy.Written != length))
            {
                return new CommitResult(CommitStatus.LengthMismatch, copy.Written, default);
            }

            // Verified even when the blob already exists: knowing a digest must not stand in for having its bytes.
            var computed = HashingCopy.FinishHash(hash, expected.Algorithm);
            if (computed != expected)
            {
                return new CommitResult(CommitStatus.DigestMismatch, copy.Written, computed);
            }

            await PublishAsync(file, stagedPath, expected, cancellationToken);
            published = true;
            return new CommitResult(CommitStatus.Committed, copy.Written, computed);
        }
        finally
        {
            file?.Dispose();
            if (!published)
            {
                File.Delete(stagedPath);
            }

            lease.Retire();
        }
    }

    public ValueTask<Guid> BeginUploadAsync(CancellationToken cancellationToken)
    {
        var uploadId = Guid.CreateVersion7(_time.GetUtcNow());
        using (var file = CreateWorkFile(UploadPath(uploadId), FileAccess.Write, FileOptions.None))
        {
            File.SetLastWriteTimeUtc(file, _time.GetUtcNow().UtcDateTime);
        }

        _uploads.Begin(uploadId);
        return ValueTask.FromResult(uploadId);
    }

    public async ValueTask<AppendResult> AppendAsync(Guid uploadId, long expectedOffset, Stream source, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedOffset);
        if (maxBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxBytes));
        }

        using var lease = await _uploads.EnterAsync(uploadId, cancellationToken);
        using var file = TryOpenUpload(uploadId);
        if (file is null)
        {
            lease.Retire();
            return new AppendResult(AppendStatus.UploadNotFound, 0);
        }

        var length = RandomAccess.GetLength(file);
        if (length != expectedOffset)
        {
            return new AppendResult(AppendStatus.OffsetMismatch, length);
        }

        var state = lease.State;
        state.Reconcile(length);
        HashingCopy.Result copy;
        try
        {
            copy = await CopyAsync(source, file, length, state.Hash, maxBytes, cancellationToken);
        }
        catch
        {
            RollBack(file, length, state);
            throw;
        }

        if (copy.LimitExceeded)
        {
            RollBack(file, length, state);
            return new AppendResult(AppendStatus.TooLarge, length);
        }

        var appended = length + copy.Written;
        if (state.Hash is not null)
        {
            state.HashedLength = appended;
        }

        File.SetLastWriteTimeUtc(file, _time.GetUtcNow().UtcDateTime);
        return new AppendResult(AppendStatus.Appended, appended);
    }

    public ValueTask<long?> GetUploadLengthAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        var file = new FileInfo(UploadPath(uploadId));
        return ValueTask.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public async ValueTask<CommitResult> CommitAsync(Guid uploadId, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(expected);
        using var lease = await _uploads.EnterAsync(uploadId, cancellationToken);
        var path = UploadPath(uploadId);
        var file = TryOpenUpload(uploadId);
        if (file is null)
        {
            lease.Retire();
            return new CommitResult(CommitStatus.UploadNotFound, 0, default);
        }

        // An upload ends here unless the commit fails unexpectedly (I/O error, cancellation), in which case it may be retried.
        var ended = false;
        try
        {
            var length = RandomAccess.GetLength(file);
            if (expectedLength is { } n && n != length)
            {
                ended = true;
                return new CommitResult(CommitStatus.LengthMismatch, length, default);
            }

            var computed = lease.State.TryGetDigest(length, expected.Algorithm, out var running)
                ? running
                : await HashingCopy.HashFileAsync(file, length, expected.Algorithm, cancellationToken);
            if (computed != expected)
            {
                ended = true;
                return new CommitResult(CommitStatus.DigestMismatch, length, computed);
            }

            await PublishAsync(file, path, expected, cancellationToken);
            ended = true;
            return new CommitResult(CommitStatus.Committed, length, computed);
        }
        finally
        {
            file.Dispose();
            if (ended)
            {
                File.Delete(path);
                lease.Retire();
            }
        }
    }

    public async ValueTask<bool> AbortAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        using var lease = await _uploads.EnterAsync(uploadId, cancellationToken);
        var file = new FileInfo(UploadPath(uploadId));
        var existed = file.Exists;
        if (existed)
        {
            file.Delete();
        }

        lease.Retire();
        return existed;
    }

    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var file = new FileInfo(BlobPath(digest));
        var existed = file.Exists;
        if (existed)
        {
            file.Delete();
        }

        return ValueTask.FromResult(existed);
    }

    public async IAsyncEnumerable<BlobInfo> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var algorithm in BlobKeys.Algorithms)
        {
            // Listing has no asynchronous form, so it runs on the thread pool one fan-out directory at a time:
            // memory stays bounded by the largest directory (about 1/256 of the blobs).
            var algorithmDirectory = Path.Join(_root, BlobKeys.AlgorithmDirectory(algorithm));
            var fanOuts = await Task.Run(() => Directory.GetDirectories(algorithmDirectory), cancellationToken);
            foreach (var fanOut in fanOuts)
            {
                var blobs = await Task.Run(() => DirectoryListing.Blobs(fanOut, algorithm), cancellationToken);
                foreach (var blob in blobs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return blob;
                }
            }
        }
    }

    public async IAsyncEnumerable<UploadInfo> EnumerateUploadsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uploads = await Task.Run(() => DirectoryListing.Uploads(_uploadsDirectory), cancellationToken);
        foreach (var upload in uploads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return upload;
        }
    }

    public async ValueTask<int> PurgeUploadsAsync(DateTimeOffset modifiedBefore, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var directory in (string[])[_uploadsDirectory, _stagingDirectory])
        {
            var stale = await Task.Run(() => DirectoryListing.ModifiedBefore(directory, modifiedBefore), cancellationToken);
            foreach (var path in stale)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryRemoveStale(path, modifiedBefore))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    public void Dispose() => _uploads.Dispose();

    // Makes verified staged bytes visible under their digest: durable first, then named atomically.
    private async ValueTask PublishAsync(SafeFileHandle file, string stagedPath, Digest digest, CancellationToken cancellationToken)
    {
        var blobPath = BlobPath(digest);
        var now = _time.GetUtcNow().UtcDateTime;

        // Already stored, with the same bytes since the name is their hash. The caller's claim in the metadata store, not
        // anything on disk, keeps a collection from deleting it meanwhile.
        if (File.Exists(blobPath))
        {
            file.Dispose();
            File.Delete(stagedPath);
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, BlobFileMode);
        }

        File.SetLastWriteTimeUtc(file, now);
        await Durability.FlushFileAsync(file, cancellationToken);
        file.Dispose();

        var directory = Path.GetDirectoryName(blobPath)!;
        if (!Directory.Exists(directory))
        {
            CreatePrivateDirectory(directory);
            await Durability.FlushDirectoryAsync(Path.GetDirectoryName(directory)!);
        }

        // A concurrent writer of the same digest may have renamed first: replacing its file with identical bytes is harmless.
        Durability.Replace(stagedPath, blobPath);
        await Durability.FlushDirectoryAsync(directory);
    }

    // Restores the upload to its length before a failed append, so the client can send the same chunk again.
    private static void RollBack(SafeFileHandle file, long length, UploadState state)
    {
        state.ForgetHash();
        try
        {
            RandomAccess.SetLength(file, length);
        }
        catch (IOException)
        {
            // The next append's offset check reports whatever length the upload was left with.
        }
    }

    private SafeFileHandle? TryOpenUpload(Guid uploadId)
    {
        try
        {
            return File.OpenHandle(UploadPath(uploadId), FileMode.Open, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private bool TryRemoveStale(string path, DateTimeOffset modifiedBefore)
    {
        if (!BlobKeys.TryParseUploadName(Path.GetFileName(path.AsSpan()), out var id))
        {
            return DeleteIfStale(path, modifiedBefore); // left behind by something else: nobody can be using it
        }

        // An upload this instance is working on right now is not abandoned, however long ago its last write.
        if (!_uploads.TryEnter(id, out var lease))
        {
            return false;
        }

        using (lease)
        {
            var removed = DeleteIfStale(path, modifiedBefore);
            if (removed || !File.Exists(path))
            {
                lease.Retire();
            }

            return removed;
        }
    }

    private static bool DeleteIfStale(string path, DateTimeOffset modifiedBefore)
    {
        // Appends, commits and puts hold their file under an exclusive flock (FileShare.None), so failing to take a
        // shared one means another process is using the file right now: it is not abandoned.
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone meanwhile, in use, or not ours
        }

        using (file)
        {
            if (File.GetLastWriteTimeUtc(file) >= modifiedBefore.UtcDateTime)
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    // A new upload or staging file: exclusive create, and owner-only whatever the umask.
    private static SafeFileHandle CreateWorkFile(string path, FileAccess access, FileOptions options)
    {
        var file = File.OpenHandle(path, FileMode.CreateNew, access, FileShare.None, options);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, WorkFileMode);
        }

        return file;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    private static void ThrowIfEmpty(Digest digest)
    {
        if (digest.IsEmpty)
        {
            throw new ArgumentException("default(Digest) names no blob.", nameof(digest));
        }
    }

    private static DateTimeOffset ToOffset(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private string BlobPath(Digest digest) => Path.Join(_root, BlobKeys.Blob(digest));

    private string UploadPath(Guid uploadId) => Path.Join(_root, BlobKeys.Upload(uploadId));
}
