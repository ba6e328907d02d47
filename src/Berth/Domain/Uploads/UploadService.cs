using Berth.Diagnostics.Metrics;
using Berth.Domain.Collection;
using Berth.Domain.Images;

namespace Berth.Domain.Uploads;

/// <summary>
/// Blob uploads for both protocols: sessions recorded in the metadata store, bytes streamed into the upload
/// store while hashing, and a blob linked to its repository only once verified and durable. The digest is claimed
/// before the bytes are published, so garbage collection never deletes them under the push.
/// </summary>
public sealed class UploadService(IMetadataStore store, IBlobStore blobs, IBlobUploadStore uploads, BlobClaims claims, TimeProvider time)
{
    public async Task<Result<UploadSession>> StartAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var id = await uploads.BeginUploadAsync(cancellationToken);
        var now = time.GetUtcNow();
        var session = new UploadSession(id, repository, now, now, 0);
        if (!await store.Uploads.CreateAsync(session, cancellationToken))
        {
            await uploads.AbortAsync(id, cancellationToken);
            return DomainError.RepositoryNotFound(repository);
        }

        BerthMetrics.UploadsOpen.Add(1);
        return session;
    }

    /// <summary>The session when it exists and belongs to <paramref name="repository"/>, with its current length.</summary>
    public async Task<Result<UploadSession>> GetAsync(RepositoryKey repository, Guid id, CancellationToken cancellationToken)
    {
        var session = await store.Uploads.GetAsync(id, cancellationToken);
        if (session is null || session.Repository != repository)
        {
            return UploadNotFound(id);
        }

        var length = await uploads.GetUploadLengthAsync(id, cancellationToken);
        return length is null ? UploadNotFound(id) : session with { Length = length.Value };
    }

    /// <summary>
    /// Appends a chunk. With <paramref name="expectedOffset"/> the chunk must start exactly where the upload
    /// ends (OCI Content-Range, ECR partFirstByte); without it, it is appended at the end (streamed PATCH).
    /// </summary>
    public async Task<Result<long>> AppendAsync(
        RepositoryKey repository,
        Guid id,
        long? expectedOffset,
        Stream content,
        long? declaredLength,
        CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var offset = expectedOffset ?? current.Value.Length;
        AppendResult appended;
        try
        {
            var source = declaredLength is { } length ? new DeclaredLengthStream(content, length) : content;

            // The session's last activity moves while the bytes stream (its length stays the committed one), so the
            // purge, which looks for sessions idle since its cutoff, leaves a long PATCH or PUT alone.
            var alive = new ActivityStream(source, time, ActivityStream.RefreshInterval, async ct =>
                await store.Uploads.TouchAsync(id, current.Value.Length, time.GetUtcNow(), ct));
            appended = await uploads.AppendAsync(id, offset, alive, declaredLength, cancellationToken);
        }
        catch (ChunkTooShortException e)
        {
            // The store rolled the upload back to where it was, so the client can resend the chunk.
            return new DomainError(ErrorCode.SizeInvalid, e.Message);
        }

        switch (appended.Status)
        {
            case AppendStatus.Appended:
                if (declaredLength is { } declared && appended.Length - offset != declared)
                {
                    return new DomainError(ErrorCode.SizeInvalid, $"The chunk held {appended.Length - offset} bytes, not the {declared} declared.");
                }

                await store.Uploads.TouchAsync(id, appended.Length, time.GetUtcNow(), cancellationToken);
                return appended.Length;
            case AppendStatus.OffsetMismatch:
                return RangeInvalid(appended.Length);
            case AppendStatus.TooLarge:
                return new DomainError(ErrorCode.SizeInvalid, "The chunk is larger than its declared length.");
            default:
                return UploadNotFound(id);
        }
    }

    /// <summary>Verifies the upload against <paramref name="digest"/>, publishes the blob and links it to the repository.</summary>
    public async Task<Result<BlobRecord>> CompleteAsync(RepositoryKey repository, Guid id, Digest digest, CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var claim = await claims.ClaimAsync(digest, cancellationToken);
        var committed = await uploads.CommitAsync(id, digest, null, cancellationToken);
        await DeleteSessionAsync(id, cancellationToken);
        return await LinkAsync(repository, digest, committed, claim, cancellationToken);
    }

    /// <summary>A whole blob in one request (OCI POST ?digest=, PUT with body): stream, verify, publish, link.</summary>
    public async Task<Result<BlobRecord>> PutAsync(
        RepositoryKey repository,
        Digest digest,
        Stream content,
        long? declaredLength,
        CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var claim = await claims.ClaimAsync(digest, cancellationToken);
        var committed = await blobs.PutAsync(content, digest, declaredLength, cancellationToken);
        return await LinkAsync(repository, digest, committed, claim, cancellationToken);
    }

    /// <summary>
    /// OCI's monolithic PUT into a session that holds nothing yet: its body is the whole blob and its digest is known, so
    /// it takes the one-shot path (<see cref="IBlobStore.PutAsync"/>: verified as it streams, published without going
    /// through the upload store) and the session ends as a completed one does. Null when the session already holds
    /// bytes: then the body is a last chunk, to append and complete as usual.
    /// </summary>
    public async Task<Result<BlobRecord>?> TryPutIntoEmptyAsync(
        RepositoryKey repository,
        Guid id,
        Digest digest,
        Stream content,
        long? declaredLength,
        CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        if (current.Value.Length != 0)
        {
            return null;
        }

        var claim = await claims.ClaimAsync(digest, cancellationToken);
        var committed = await blobs.PutAsync(content, digest, declaredLength, cancellationToken);
        if (committed.Status == CommitStatus.LengthMismatch)
        {
            // As with a chunk that is not the length declared, the session stays, still empty, for the client to resend.
            return new DomainError(ErrorCode.SizeInvalid, $"The body is not the {declaredLength} bytes declared.");
        }

        await DeleteSessionAsync(id, cancellationToken);
        await uploads.AbortAsync(id, cancellationToken);
        return await LinkAsync(repository, digest, committed, claim, cancellationToken);
    }

    /// <summary>Ends a session's record; the open-uploads gauge drops only for a session that was still there.</summary>
    private async Task DeleteSessionAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await store.Uploads.DeleteAsync(id, cancellationToken))
        {
            BerthMetrics.UploadsOpen.Add(-1);
        }
    }

    public async Task<DomainError?> CancelAsync(RepositoryKey repository, Guid id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error;
        }

        await DeleteSessionAsync(id, cancellationToken);
        await uploads.AbortAsync(id, cancellationToken);
        return null;
    }

    /// <summary>Links a blob that <paramref name="source"/> holds into <paramref name="target"/>; null when it cannot.</summary>
    public Task<BlobRecord?> MountAsync(RepositoryKey target, RepositoryKey source, Digest digest, CancellationToken cancellationToken) =>
        store.Images.MountBlobAsync(source, target, digest, cancellationToken);

    /// <summary>
    /// ECR's UploadLayerPart: the part must start right after the bytes received (inclusive offsets) and its
    /// declared range must match its length.
    /// </summary>
    public async Task<Result<long>> AppendPartAsync(
        RepositoryKey repository,
        Guid id,
        long firstByte,
        long lastByte,
        ReadOnlyMemory<byte> part,
        CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        if (lastByte - firstByte + 1 != part.Length || firstByte != current.Value.Length)
        {
            return RangeInvalid(current.Value.Length);
        }

        if (current.Value.PartCount >= LayerParts.MaxParts)
        {
            return new DomainError(ErrorCode.LimitExceeded, $"An upload may have at most {LayerParts.MaxParts} parts.");
        }

        using var content = new MemoryStream(part.ToArray(), writable: false);
        var appended = await uploads.AppendAsync(id, firstByte, content, part.Length, cancellationToken);
        if (appended.Status == AppendStatus.OffsetMismatch)
        {
            return RangeInvalid(appended.Length);
        }

        if (!appended.IsAppended)
        {
            return UploadNotFound(id);
        }

        await store.Uploads.RecordPartAsync(id, appended.Length, part.Length, LayerParts.MinPartSize, time.GetUtcNow(), cancellationToken);
        return appended.Length;
    }

    /// <summary>ECR's CompleteLayerUpload: the part rules, then the same verification and linking as OCI.</summary>
    public async Task<Result<BlobRecord>> CompleteLayerAsync(RepositoryKey repository, Guid id, Digest digest, CancellationToken cancellationToken)
    {
        var current = await GetAsync(repository, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var session = current.Value;
        DomainError? refused = null;
        if (session.PartCount == 0 || session.Length == 0)
        {
            refused = new DomainError(ErrorCode.UploadEmpty, $"The upload with upload ID '{id}' has no parts.");
        }
        else if (session.SmallPartSeen)
        {
            refused = new DomainError(ErrorCode.UploadPartTooSmall, $"Every part but the last must be at least {LayerParts.MinPartSize} bytes.");
        }
        else if (await store.Images.FindBlobAsync(repository, digest, cancellationToken) is not null)
        {
            refused = new DomainError(
                ErrorCode.LayerAlreadyExists,
                $"The layer with digest '{digest}' already exists in the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");
        }

        if (refused is not null)
        {
            // The upload session is consumed either way, as ECR does.
            await DeleteSessionAsync(id, cancellationToken);
            await uploads.AbortAsync(id, cancellationToken);
            return refused;
        }

        return await CompleteAsync(repository, id, digest, cancellationToken);
    }

    public static DomainError UploadNotFound(Guid id) =>
        new(ErrorCode.UploadNotFound, $"Upload {id} does not exist or has expired.");

    public static DomainError RangeInvalid(long length) =>
        new(ErrorCode.UploadRangeInvalid, $"The chunk must start at byte {length}, where the upload currently ends.");

    private async Task<Result<BlobRecord>> LinkAsync(RepositoryKey repository, Digest digest, CommitResult committed, BlobClaim claim, CancellationToken cancellationToken)
    {
        switch (committed.Status)
        {
            case CommitStatus.Committed:
                if (!await claims.ConfirmAsync(digest, claim, cancellationToken))
                {
                    // Only when the push outlasted the grace period and a collection deleted the bytes meanwhile.
                    return new DomainError(ErrorCode.UploadNotFound, "The upload expired: garbage collection removed its blob before it was linked.");
                }

                var blob = new BlobRecord(digest, committed.Length, time.GetUtcNow());
                return await store.Images.LinkBlobAsync(repository, blob, cancellationToken)
                    ? blob
                    : DomainError.RepositoryNotFound(repository);
            case CommitStatus.DigestMismatch:
                return new DomainError(
                    ErrorCode.BlobDigestMismatch,
                    $"The uploaded content has digest {committed.Computed}, not the {digest} given.");
            case CommitStatus.LengthMismatch:
                return new DomainError(ErrorCode.SizeInvalid, $"The uploaded content is {committed.Length} bytes, not the length declared.");
            default:
                return new DomainError(ErrorCode.UploadNotFound, "The upload does not exist or has expired.");
        }
    }
}
