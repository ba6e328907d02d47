using Berth.Domain.Events;
using Berth.Domain.Manifests;
using Berth.Domain.Outbox;
using Berth.Domain.Scanning;
using Berth.Domain.Signing;

namespace Berth.Domain.Images;

/// <summary>
/// Storing, reading and deleting manifests for both protocols: one parse, one set of checks, one
/// transaction that stores the exact bytes and moves the tag.
/// </summary>
/// <param name="store">The metadata store.</param>
/// <param name="time">The clock pushes are stamped with.</param>
/// <param name="producers">What follows a push through the outbox (replication, events); none when null.</param>
/// <param name="outboxSignal">Wakes this process's outbox worker after a push that wrote messages.</param>
/// <param name="signing">Queues managed signing of a stored push; none when null.</param>
/// <param name="scans">Queues scans on push; none when null.</param>
/// <param name="events">Registry events to webhooks, written with each push and delete; none when null.</param>
public sealed class ManifestService(
    IMetadataStore store,
    TimeProvider time,
    IEnumerable<IPushOutboxProducer>? producers = null,
    OutboxSignal? outboxSignal = null,
    SigningService? signing = null,
    ScanService? scans = null,
    EventPublisher? events = null)
{
    private readonly IPushOutboxProducer[] _producers = producers?.ToArray() ?? [];

    /// <summary>
    /// Stores a manifest. <paramref name="tag"/> is pointed at it when given; <paramref name="expectedDigest"/>,
    /// when given, must be the digest of the bytes.
    /// </summary>
    public Task<Result<StoredManifest>> PutAsync(
        RepositoryKey repository,
        ReadOnlyMemory<byte> bytes,
        string? contentType,
        string? tag,
        Digest? expectedDigest,
        CancellationToken cancellationToken) =>
        PutAsync(repository, bytes, contentType, tag, expectedDigest, [], cancellationToken);

    /// <summary>
    /// Stores a manifest as above, writing <paramref name="alsoOutbox"/> (a pull-through import's event) in the push's
    /// transaction beside what the push itself causes.
    /// </summary>
    public async Task<Result<StoredManifest>> PutAsync(
        RepositoryKey repository,
        ReadOnlyMemory<byte> bytes,
        string? contentType,
        string? tag,
        Digest? expectedDigest,
        IReadOnlyList<OutboxMessage> alsoOutbox,
        CancellationToken cancellationToken)
    {
        var parsed = ManifestParser.Parse(bytes, contentType);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.Kind switch
            {
                ManifestErrorKind.TooLarge => new DomainError(ErrorCode.ManifestTooLarge, parsed.Error.Message),
                _ => new DomainError(ErrorCode.ManifestInvalid, parsed.Error.Message),
            };
        }

        var manifest = parsed.Manifest;
        var digest = Digest.Parse(manifest.Digest);
        if (expectedDigest is { } expected && expected != digest)
        {
            return new DomainError(
                ErrorCode.ImageDigestMismatch,
                $"The manifest digest {digest} does not match the digest {expected} it was pushed under.");
        }

        if (!TryCollectReferences(manifest, out var references, out var referenceError))
        {
            return referenceError!;
        }

        var size = manifest.ImageSizeInBytes;
        if (manifest.IsIndex)
        {
            size = await IndexSizeAsync(repository, manifest, cancellationToken);
        }

        Digest? subject = manifest.Subject is { } s && Digest.TryParse(s.Digest, out var subjectDigest) ? subjectDigest : null;
        var image = new ImageRecord(
            digest,
            manifest.MediaType,
            manifest.Size,
            size,
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
            manifest.IsIndex ? null : manifest.ConfigMediaType,
            manifest.EffectiveArtifactType,
            subject,
            null)
        {
            AnnotationsJson = AnnotationsJson(manifest.Annotations),
        };

        var outbox = await OutboxForPushAsync(repository, digest, tag, cancellationToken);
        if (events is { Enabled: true })
        {
            outbox = [.. outbox, .. events.ForPush(repository, digest, tag, manifest.MediaType, image.ArtifactMediaType)];
        }

        if (alsoOutbox.Count > 0)
        {
            outbox = [.. outbox, .. alsoOutbox];
        }

        var outcome = await store.Images.PutImageAsync(repository, image, bytes, references, tag, outbox, cancellationToken);
        if (outbox.Count > 0 && outcome.Status is PutImageStatus.Created or PutImageStatus.Tagged or PutImageStatus.TagMoved or PutImageStatus.Unchanged)
        {
            outboxSignal?.Notify();
        }

        if (signing is not null && outcome.Status is PutImageStatus.Created or PutImageStatus.Tagged or PutImageStatus.TagMoved or PutImageStatus.Unchanged)
        {
            await signing.QueueAsync(repository, digest, manifest.EffectiveArtifactType, outcome.Status == PutImageStatus.Created, cancellationToken);
        }

        if (scans is not null && outcome.Status == PutImageStatus.Created)
        {
            await scans.OnPushedAsync(repository, digest, bytes, manifest.MediaType, cancellationToken);
        }

        return outcome.Status switch
        {
            PutImageStatus.Created or PutImageStatus.Tagged or PutImageStatus.TagMoved or PutImageStatus.Unchanged =>
                new StoredManifest(digest, manifest.MediaType, subject, outcome.Status, outcome.PreviousDigest),
            PutImageStatus.ImmutableTag => new DomainError(
                ErrorCode.ImageTagImmutable,
                $"The image tag '{tag}' already exists in the '{repository.Name}' repository and cannot be overwritten because the tag is immutable."),
            PutImageStatus.RepositoryNotFound => DomainError.RepositoryNotFound(repository),
            PutImageStatus.MissingBlobs => new DomainError(
                ErrorCode.ManifestBlobsNotFound,
                $"The manifest references blobs that are not in the repository: {string.Join(", ", outcome.Missing)}"),
            PutImageStatus.MissingManifests => new DomainError(
                ErrorCode.ManifestChildrenNotFound,
                $"The index references manifests that are not in the repository: {string.Join(", ", outcome.Missing)}"),
            _ => throw new InvalidOperationException($"Unexpected put outcome {outcome.Status}."),
        };
    }

    private async ValueTask<IReadOnlyList<OutboxMessage>> OutboxForPushAsync(RepositoryKey repository, Digest digest, string? tag, CancellationToken cancellationToken)
    {
        if (_producers.Length == 0)
        {
            return [];
        }

        var messages = new List<OutboxMessage>();
        foreach (var producer in _producers)
        {
            messages.AddRange(await producer.MessagesForPushAsync(repository, digest, tag, cancellationToken));
        }

        return messages;
    }

    /// <summary>Finds a manifest by tag or digest, with its bytes.</summary>
    public async Task<Result<ImageRecord>> GetAsync(RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var image = await store.Images.GetManifestAsync(repository, reference.Tag, reference.Digest, cancellationToken);
        if (image is not null)
        {
            return image;
        }

        return await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? DomainError.RepositoryNotFound(repository)
            : ImageNotFound(repository, reference);
    }

    /// <summary>Deletes by digest (the image and all its tags) or by tag (that tag only).</summary>
    public async Task<DomainError?> DeleteAsync(RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var status = reference.Digest is { } digest
            ? await DeleteImageAsync(repository, digest, cancellationToken)
            : await DeleteTagAsync(repository, reference.Tag!, deleteUntaggedImage: false, cancellationToken);
        return status switch
        {
            DeleteImageStatus.Deleted or DeleteImageStatus.TagRemoved => null,
            DeleteImageStatus.RepositoryNotFound => DomainError.RepositoryNotFound(repository),
            DeleteImageStatus.ReferencedByIndex => new DomainError(
                ErrorCode.ImageReferencedByIndex,
                $"The manifest {reference} is referenced by a manifest list or index in the repository; delete that first."),
            _ => ImageNotFound(repository, reference),
        };
    }

    public Task RecordPullAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        store.Images.RecordPullAsync(repository, digest, time.GetUtcNow(), cancellationToken);

    private static DomainError ImageNotFound(RepositoryKey repository, ManifestReference reference) =>
        DomainError.ImageNotFound(repository, reference.Digest?.ToString(), reference.Tag);

    /// <summary>What stored manifest bytes reference (blobs and child manifests); null when they no longer parse.</summary>
    public static IReadOnlyList<ImageReference>? ReferencesOf(ReadOnlyMemory<byte> bytes, string mediaType)
    {
        var parsed = ManifestParser.Parse(bytes, mediaType);
        return parsed.IsSuccess && TryCollectReferences(parsed.Manifest, out var references, out _) ? references : null;
    }

    private static bool TryCollectReferences(ParsedManifest manifest, out List<ImageReference> references, out DomainError? error)
    {
        references = new List<ImageReference>(manifest.Layers.Count + manifest.Manifests.Count + 1);
        error = null;
        if (manifest.Config is { } config && !Add(config.Digest, ImageReferenceKind.Blob, references))
        {
            error = UnsupportedDigest(config.Digest);
            return false;
        }

        foreach (var layer in manifest.Layers)
        {
            // Foreign layers live elsewhere (their urls); the registry never holds them.
            if (layer.Urls is { Count: > 0 })
            {
                continue;
            }

            if (!Add(layer.Digest, ImageReferenceKind.Blob, references))
            {
                error = UnsupportedDigest(layer.Digest);
                return false;
            }
        }

        foreach (var child in manifest.Manifests)
        {
            if (!Add(child.Digest, ImageReferenceKind.Manifest, references))
            {
                error = UnsupportedDigest(child.Digest);
                return false;
            }
        }

        return true;

        static bool Add(string text, ImageReferenceKind kind, List<ImageReference> into)
        {
            if (!Digest.TryParse(text, out var digest))
            {
                return false;
            }

            foreach (var existing in into)
            {
                if (existing.Digest == digest && existing.Kind == kind)
                {
                    return true;
                }
            }

            into.Add(new ImageReference(digest, kind));
            return true;
        }
    }

    private static DomainError UnsupportedDigest(string digest) =>
        new(ErrorCode.ManifestInvalid, $"The manifest references '{digest}', a digest Berth cannot verify.");

    /// <summary>ECR sizes a manifest list or index as its largest child.</summary>
    private async Task<long> IndexSizeAsync(RepositoryKey repository, ParsedManifest manifest, CancellationToken cancellationToken)
    {
        long largest = 0;
        foreach (var child in manifest.Manifests)
        {
            if (Digest.TryParse(child.Digest, out var digest)
                && await store.Images.GetImageAsync(repository, digest, cancellationToken) is { } image)
            {
                largest = Math.Max(largest, image.ImageSizeInBytes);
            }
        }

        return largest;
    }

    private static string? AnnotationsJson(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in annotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Deletes an image and all its tags, writing its DELETE event in the same transaction.</summary>
    public async Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken)
    {
        if (events is not { Enabled: true })
        {
            return await store.Images.DeleteImageAsync(repository, digest, cancellationToken);
        }

        return Notify(await store.Images.DeleteImageAsync(repository, digest, events.ForDelete(repository, digest, null), cancellationToken));
    }

    /// <summary>
    /// Removes one tag (see <see cref="IImageStore.DeleteTagAsync(RepositoryKey, string, bool, CancellationToken)"/>),
    /// writing its DELETE event in the same transaction, naming the digest the tag pointed at in that transaction.
    /// </summary>
    public async Task<DeleteImageStatus> DeleteTagAsync(
        RepositoryKey repository, string tag, bool deleteUntaggedImage, CancellationToken cancellationToken)
    {
        if (events is not { Enabled: true })
        {
            return await store.Images.DeleteTagAsync(repository, tag, deleteUntaggedImage, cancellationToken);
        }

        return Notify(await store.Images.DeleteTagAsync(
            repository, tag, deleteUntaggedImage, digest => events.ForDelete(repository, digest, tag), cancellationToken));
    }

    private DeleteImageStatus Notify(DeleteImageStatus status)
    {
        if (status is DeleteImageStatus.Deleted or DeleteImageStatus.TagRemoved)
        {
            outboxSignal?.Notify();
        }

        return status;
    }
}

/// <summary>What a manifest push stored.</summary>
public sealed record StoredManifest(Digest Digest, string MediaType, Digest? Subject, PutImageStatus Status, Digest? PreviousDigest);

/// <summary>A manifest reference: a tag or a digest, parsed and validated at the edge.</summary>
public readonly record struct ManifestReference(string? Tag, Digest? Digest)
{
    public static ManifestReference ForTag(string tag) => new(tag, null);

    public static ManifestReference ForDigest(Digest digest) => new(null, digest);

    public override string ToString() => Digest?.ToString() ?? Tag ?? string.Empty;
}
