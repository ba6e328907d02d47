using System.Collections.Concurrent;
using Berth.Diagnostics;
using Berth.Domain.Auth;
using Berth.Domain.Collection;
using Berth.Domain.Events;
using Berth.Domain.Images;
using Berth.Domain.Manifests;
using Berth.Domain.Outbox;
using Berth.Domain.Templates;
using Berth.Domain.Uploads;

namespace Berth.Domain.PullThrough;

/// <summary>
/// The pull path of repositories a pull-through rule covers. A manifest that misses is fetched upstream (with every
/// child of an index), served at once from memory and stored once its blobs are: blobs the client asks for are streamed
/// to it while being stored, and whatever it did not ask for is fetched after it goes quiet. A cached tag is checked
/// upstream at most once per <see cref="RefreshInterval"/>; while the upstream is down, cached content is served.
/// Each fetch ends in an "ECR Pull Through Cache Action" event (when webhooks are configured): a stored image's is
/// written in the transaction that stores its top manifest, a failure's on its own.
/// </summary>
public sealed class PullThroughCache(
    IMetadataStore store,
    IBlobStore blobStore,
    PullThroughRuleService rules,
    UpstreamClient upstream,
    ManifestService manifests,
    ImageService images,
    CreationTemplateService templates,
    UploadService uploads,
    BlobClaims claims,
    UpstreamImportAccess access,
    TimeProvider time,
    ILogger<PullThroughCache> logger,
    EventPublisher? events = null,
    OutboxSignal? outboxSignal = null)
{
    /// <summary>How long a cached tag is served before the upstream is asked whether it moved (ECR: 24 h).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(24);

    // After a manifest is served, the blobs its client has not asked for within this quiet time are fetched without it,
    // so the image is complete in the cache even when the client only wanted the manifest.
    private static readonly TimeSpan ClientQuiet = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Digest, Task<DomainError?>> _blobFetches = new();
    private readonly ConcurrentDictionary<(RepositoryKey, Digest), PendingImage> _pending = new();
    private readonly ConcurrentDictionary<(RepositoryKey, string), Digest> _pendingTags = new();
    private readonly ConcurrentDictionary<RepositoryKey, long> _activity = new();
    private readonly ConcurrentDictionary<(RepositoryKey, string), DateTimeOffset> _checks = new();

    /// <summary>
    /// A /v2/ manifest GET or HEAD: the stored image, or the upstream's when the repository is a cache and it misses or
    /// its tag is due for a check and moved. Other repositories answer exactly as <see cref="ImageService.PullAsync"/>.
    /// <paramref name="asked"/> is the pull as it was authorized: an import needs its caller's further permissions.
    /// </summary>
    public async Task<Result<ImageRecord>> PullAsync(AuthorizationRequest asked, RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var found = await manifests.GetAsync(repository, reference, cancellationToken);
        if (found.IsSuccess)
        {
            if (!ImageService.IsPullable(found.Value))
            {
                return await images.PullAsync(repository, reference, cancellationToken);
            }

            return reference.Tag is { } tag && await rules.MatchAsync(repository, cancellationToken) is { } covering
                ? await RefreshIfDueAsync(asked, covering, repository, tag, found.Value, cancellationToken)
                : found;
        }

        if (found.Error!.Code is not (ErrorCode.ImageNotFound or ErrorCode.RepositoryNotFound))
        {
            return found;
        }

        if (FindPending(repository, reference) is { } pending)
        {
            return pending.Record;
        }

        var rule = await rules.MatchAsync(repository, cancellationToken);
        if (rule is null)
        {
            return found;
        }

        if (await access.CheckAsync(asked, repository, cancellationToken) is { } denied)
        {
            return denied;
        }

        var fetched = await FetchAsync(rule, repository, reference, cancellationToken);
        return fetched.IsSuccess ? fetched.Value.Record : fetched.Error!;
    }

    /// <summary>
    /// The ECR API's pull (BatchGetImage): makes sure a covered repository holds the image, waiting until it is stored.
    /// Null when it is there or the repository is no cache; else why it could not be fetched.
    /// </summary>
    public async Task<DomainError?> EnsureImageAsync(AuthorizationRequest asked, RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        if (await rules.MatchAsync(repository, cancellationToken) is not { } rule)
        {
            return null;
        }

        var found = await manifests.GetAsync(repository, reference, cancellationToken);
        if (found.IsSuccess || found.Error!.Code is not (ErrorCode.ImageNotFound or ErrorCode.RepositoryNotFound))
        {
            return null;
        }

        var pending = FindPending(repository, reference);
        if (pending is null)
        {
            if (await access.CheckAsync(asked, repository, cancellationToken) is { } denied)
            {
                return denied;
            }

            var fetched = await FetchAsync(rule, repository, reference, cancellationToken);
            if (!fetched.IsSuccess)
            {
                return fetched.Error;
            }

            pending = fetched.Value;
        }

        // Nothing will ask for the blobs: start fetching them now rather than after the quiet time.
        _activity[repository] = 0;
        return await pending.Completion.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A blob a covered repository lacks: fetched upstream and stored, and, when <paramref name="openClient"/> is given,
    /// streamed to the client while it is stored (it is called with the length once the upstream answers, and returns
    /// where to write). Concurrent fetches of one digest share one upstream request; the others wait and read the
    /// stored blob. Null when no rule covers the repository.
    /// </summary>
    public async Task<BlobPullResult?> PullBlobAsync(
        AuthorizationRequest asked,
        RepositoryKey repository,
        Digest digest,
        Func<long?, ValueTask<Stream>>? openClient,
        CancellationToken cancellationToken)
    {
        if (await rules.MatchAsync(repository, cancellationToken) is not { } rule)
        {
            return null;
        }

        var target = await rules.TargetOfAsync(rule, repository.Name, cancellationToken);
        if (!target.IsSuccess)
        {
            return new BlobPullResult(new DomainError(ErrorCode.UpstreamLayerUnavailable, target.Error!.Message), false);
        }

        // A layer already stored needs no import (another pull brought it in while this one was asked).
        if (await store.Images.FindBlobAsync(repository, digest, cancellationToken) is null
            && await access.CheckAsync(asked, repository, cancellationToken) is { } denied)
        {
            return new BlobPullResult(denied, false);
        }

        if (await EnsureRepositoryAsync(repository, cancellationToken) is { } repositoryError)
        {
            return new BlobPullResult(repositoryError, false);
        }

        Touch(repository);
        try
        {
            while (true)
            {
                if (await store.Images.FindBlobAsync(repository, digest, cancellationToken) is not null)
                {
                    return new BlobPullResult(null, false);
                }

                var (error, sent, joined) = await FetchBlobAsync(target.Value, repository, digest, openClient, cancellationToken);
                if (!joined)
                {
                    return new BlobPullResult(error, sent);
                }
            }
        }
        finally
        {
            Touch(repository);
        }
    }

    private async Task<Result<ImageRecord>> RefreshIfDueAsync(
        AuthorizationRequest asked,
        PullThroughRule rule,
        RepositoryKey repository,
        string tag,
        ImageRecord cached,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_checks.TryGetValue((repository, tag), out var checkedAt))
        {
            checkedAt = await store.PullThrough.GetTagCheckAsync(repository, tag, cancellationToken) ?? DateTimeOffset.MinValue;
            _checks[(repository, tag)] = checkedAt;
        }

        if (now - checkedAt < RefreshInterval || FindPending(repository, ManifestReference.ForTag(tag)) is not null)
        {
            return cached;
        }

        // Immutable tags cannot move, so there is nothing to refresh (ECR: they prevent refresh).
        if (await store.Repositories.GetAsync(repository, cancellationToken) is { Mutability: TagMutability.Immutable })
        {
            return cached;
        }

        var target = await rules.TargetOfAsync(rule, repository.Name, cancellationToken);
        var current = target.IsSuccess ? await upstream.ResolveTagAsync(target.Value, tag, cancellationToken) : target.Error!;
        if (!current.IsSuccess)
        {
            logger.PullThroughServingStale(repository.Name, tag, current.Error!.Message);
            return cached;
        }

        if (current.Value == cached.Digest)
        {
            await RecordCheckAsync(repository, tag, now, cancellationToken);
            return cached;
        }

        // A caller who may not import keeps the cached image; the check stays due for one who may.
        if (await access.CheckAsync(asked, repository, cancellationToken) is not null)
        {
            return cached;
        }

        var fetched = await FetchAsync(rule, repository, ManifestReference.ForTag(tag), cancellationToken);
        if (!fetched.IsSuccess)
        {
            logger.PullThroughServingStale(repository.Name, tag, fetched.Error!.Message);
            return cached;
        }

        return fetched.Value.Record;
    }

    private async Task RecordCheckAsync(RepositoryKey repository, string tag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _checks[(repository, tag)] = at;
        await store.PullThrough.SetTagCheckAsync(repository, tag, at, cancellationToken);
    }

    /// <summary>
    /// Fetches the manifest (and an index's children) upstream, creates the repository, and starts storing the image;
    /// a fetch that fails sends its FAILED event.
    /// </summary>
    private async Task<Result<PendingImage>> FetchAsync(PullThroughRule rule, RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var fetched = await FetchOrFailAsync(rule, repository, reference, cancellationToken);
        if (!fetched.IsSuccess)
        {
            await PublishAsync(repository, new PullThroughSync(rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, reference.Tag, reference.Digest, fetched.Error));
        }

        return fetched;
    }

    private async Task<Result<PendingImage>> FetchOrFailAsync(PullThroughRule rule, RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var target = await rules.TargetOfAsync(rule, repository.Name, cancellationToken);
        if (!target.IsSuccess)
        {
            return new DomainError(ErrorCode.UpstreamImageUnavailable, target.Error!.Message);
        }

        var asked = reference.ToString();
        logger.PullThroughFetching(repository.Name, asked, target.Value.BaseUri.AbsoluteUri);
        var top = await FetchManifestAsync(target.Value, asked, cancellationToken);
        if (!top.IsSuccess)
        {
            return top.Error!;
        }

        // Children first, each once, so each can be stored before the index that lists it.
        var all = new List<FetchedManifest>();
        if (top.Value.Parsed.IsIndex)
        {
            foreach (var child in top.Value.Parsed.Manifests)
            {
                if (all.Exists(m => m.Digest.ToString() == child.Digest))
                {
                    continue;
                }

                var fetchedChild = await FetchManifestAsync(target.Value, child.Digest, cancellationToken);
                if (!fetchedChild.IsSuccess)
                {
                    return fetchedChild.Error!;
                }

                all.Add(fetchedChild.Value);
            }
        }

        all.Add(top.Value);
        if (await EnsureRepositoryAsync(repository, cancellationToken) is { } repositoryError)
        {
            return repositoryError;
        }

        var completion = new TaskCompletionSource<DomainError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var now = time.GetUtcNow();
        PendingImage? topPending = null;
        foreach (var manifest in all)
        {
            var record = new ImageRecord(
                manifest.Digest, manifest.Parsed.MediaType, manifest.Parsed.Size, manifest.Parsed.ImageSizeInBytes, now, null, null, null, null)
            {
                Manifest = manifest.Bytes,
            };
            var pending = _pending.GetOrAdd((repository, manifest.Digest), new PendingImage(record, completion.Task));
            topPending = pending;
        }

        if (topPending!.Completion != completion.Task)
        {
            // Another pull is already storing this image: share its work.
            return topPending;
        }

        if (reference.Tag is { } tag)
        {
            _pendingTags[(repository, tag)] = top.Value.Digest;
        }

        Touch(repository);
        _ = Task.Run(() => StoreAsync(rule, target.Value, repository, reference.Tag, all, completion), CancellationToken.None);
        return topPending;
    }

    private async Task<Result<FetchedManifest>> FetchManifestAsync(UpstreamTarget target, string reference, CancellationToken cancellationToken)
    {
        var fetched = await upstream.GetManifestAsync(target, reference, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var parsed = ManifestParser.Parse(fetched.Value.Bytes, fetched.Value.ContentType);
        return parsed.IsSuccess
            ? new FetchedManifest(fetched.Value.Digest, fetched.Value.Bytes, parsed.Manifest!)
            : UpstreamClient.ImageError(target, reference, "its manifest is not one Berth can store: " + parsed.Error!.Message);
    }

    /// <summary>
    /// Waits for (or fetches) every blob of the image, then stores its manifests and moves the tag; the top manifest's
    /// transaction writes the SUCCESS event, a failure sends a FAILED one.
    /// </summary>
    private async Task StoreAsync(
        PullThroughRule rule, UpstreamTarget target, RepositoryKey repository, string? tag, List<FetchedManifest> all, TaskCompletionSource<DomainError?> completion)
    {
        DomainError? failure = null;
        var name = tag ?? all[^1].Digest.ToString();
        try
        {
            foreach (var manifest in all)
            {
                foreach (var blob in BlobsOf(manifest.Parsed))
                {
                    failure ??= await EnsureBlobAsync(target, repository, blob);
                }
            }

            foreach (var manifest in all)
            {
                if (failure is not null)
                {
                    break;
                }

                var isTop = ReferenceEquals(manifest, all[^1]);
                IReadOnlyList<OutboxMessage> synced = isTop && events is { Enabled: true }
                    ? events.ForPullThrough(repository, new PullThroughSync(rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, tag, manifest.Digest, null))
                    : [];
                var stored = await manifests.PutAsync(repository, manifest.Bytes, manifest.Parsed.MediaType, isTop ? tag : null, manifest.Digest, synced, CancellationToken.None);
                failure = stored.IsSuccess ? null : stored.Error;
            }

            if (failure is null && tag is not null)
            {
                await RecordCheckAsync(repository, tag, time.GetUtcNow(), CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.PullThroughCrashed(repository.Name, name, e);
            failure = UpstreamClient.ImageError(target, name, "storing it failed");
        }
        finally
        {
            if (failure is not null)
            {
                logger.PullThroughFailed(repository.Name, name, failure.Message);
                await PublishAsync(repository, new PullThroughSync(rule.EcrRepositoryPrefix, rule.UpstreamRegistryUrl, tag, all[^1].Digest, failure));
            }

            if (tag is not null)
            {
                _pendingTags.TryRemove(new KeyValuePair<(RepositoryKey, string), Digest>((repository, tag), all[^1].Digest));
            }

            foreach (var manifest in all)
            {
                _pending.TryRemove((repository, manifest.Digest), out _);
            }

            completion.TrySetResult(failure);
        }
    }

    /// <summary>
    /// The completion's side of a blob: done when the repository has it; while its client is fetching blobs (or went
    /// quiet less than <see cref="ClientQuiet"/> ago) it waits for the client to ask, then fetches what is left itself.
    /// </summary>
    private async Task<DomainError?> EnsureBlobAsync(UpstreamTarget target, RepositoryKey repository, Digest digest)
    {
        while (true)
        {
            if (await store.Images.FindBlobAsync(repository, digest, CancellationToken.None) is not null)
            {
                return null;
            }

            if (_blobFetches.TryGetValue(digest, out var running))
            {
                await running;
                continue;
            }

            // A pause between looks, not a time anything is measured against, so it runs on real time.
            if (Environment.TickCount64 - _activity.GetValueOrDefault(repository) < ClientQuiet.TotalMilliseconds)
            {
                await Task.Delay(50);
                continue;
            }

            var (error, _, joined) = await FetchBlobAsync(target, repository, digest, null, CancellationToken.None);
            if (!joined && error is not null)
            {
                return error;
            }
        }
    }

    /// <summary>
    /// One upstream fetch of a blob into <paramref name="repository"/> (or a link, when another repository already holds
    /// its bytes). Joined when another fetch of the digest was running: this one waited for it and did nothing.
    /// </summary>
    private async Task<(DomainError? Error, bool Sent, bool Joined)> FetchBlobAsync(
        UpstreamTarget target,
        RepositoryKey repository,
        Digest digest,
        Func<long?, ValueTask<Stream>>? openClient,
        CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<DomainError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_blobFetches.TryAdd(digest, mine.Task))
        {
            if (_blobFetches.TryGetValue(digest, out var running))
            {
                await running.WaitAsync(cancellationToken);
            }

            return (null, false, true);
        }

        DomainError? error = null;
        var sent = false;
        try
        {
            if (await LinkStoredAsync(repository, digest))
            {
                return (null, false, false);
            }

            // The fetch outlives the request that started it: others may be waiting for it, and it fills the cache.
            var opened = await upstream.OpenBlobAsync(target, digest, CancellationToken.None);
            if (!opened.IsSuccess)
            {
                error = opened.Error;
                return (error, false, false);
            }

            using var response = opened.Value;
            var length = response.Content.Headers.ContentLength;
            Stream? client = null;
            if (openClient is not null && !cancellationToken.IsCancellationRequested)
            {
                client = await openClient(length);
                sent = true;
            }

            await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
            await using var tee = new TeeReadStream(body, client, cancellationToken);
            var stored = await uploads.PutAsync(repository, digest, tee, length, CancellationToken.None);
            await tee.CompleteClientAsync();
            if (!stored.IsSuccess)
            {
                error = UpstreamClient.LayerError(target, digest, stored.Error!.Message);
            }

            return (error, sent, false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            error = UpstreamClient.LayerError(target, digest, e.Message);
            return (error, sent, false);
        }
        finally
        {
            _blobFetches.TryRemove(new KeyValuePair<Digest, Task<DomainError?>>(digest, mine.Task));
            mine.TrySetResult(error);
        }
    }

    /// <summary>Links bytes another repository already brought in, under a claim so collection cannot take them meanwhile.</summary>
    private async Task<bool> LinkStoredAsync(RepositoryKey repository, Digest digest)
    {
        if (await blobStore.StatAsync(digest, CancellationToken.None) is null)
        {
            return false;
        }

        var claim = await claims.ClaimAsync(digest, CancellationToken.None);
        if (await blobStore.StatAsync(digest, CancellationToken.None) is not { } info || !await claims.ConfirmAsync(digest, claim, CancellationToken.None))
        {
            return false;
        }

        return await store.Images.LinkBlobAsync(repository, new BlobRecord(digest, info.Length, time.GetUtcNow()), CancellationToken.None);
    }

    private async Task<DomainError?> EnsureRepositoryAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is not null)
        {
            return null;
        }

        // From the longest-prefix PULL_THROUGH_CACHE creation template, or ECR's defaults without one.
        var created = await templates.CreateRepositoryAsync(repository, TemplateUses.PullThroughCache, cancellationToken);
        return created.IsSuccess ? null : created.Error;
    }

    /// <summary>
    /// Sends a FAILED fetch's event on its own: nothing was stored for it to share a transaction with. A failure to
    /// queue it is logged and never fails the pull.
    /// </summary>
    private async Task PublishAsync(RepositoryKey repository, PullThroughSync sync)
    {
        if (events is not { Enabled: true })
        {
            return;
        }

        try
        {
            var messages = events.ForPullThrough(repository, sync);
            if (messages.Count > 0)
            {
                await store.Outbox.EnqueueAsync(messages, CancellationToken.None);
                outboxSignal?.Notify();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.PullThroughEventFailed(repository.Name, e);
        }
    }

    private PendingImage? FindPending(RepositoryKey repository, ManifestReference reference)
    {
        var digest = reference.Digest;
        if (digest is null && reference.Tag is { } tag && _pendingTags.TryGetValue((repository, tag), out var tagged))
        {
            digest = tagged;
        }

        return digest is { } d && _pending.TryGetValue((repository, d), out var pending) ? pending : null;
    }

    private void Touch(RepositoryKey repository) => _activity[repository] = Environment.TickCount64;

    private static IEnumerable<Digest> BlobsOf(ParsedManifest manifest)
    {
        if (manifest.Config is { } config && Digest.TryParse(config.Digest, out var configDigest))
        {
            yield return configDigest;
        }

        foreach (var layer in manifest.Layers)
        {
            if (layer.Urls is not { Count: > 0 } && Digest.TryParse(layer.Digest, out var layerDigest))
            {
                yield return layerDigest;
            }
        }
    }

    private sealed record FetchedManifest(Digest Digest, byte[] Bytes, ParsedManifest Parsed);

    private sealed record PendingImage(ImageRecord Record, Task<DomainError?> Completion);
}

/// <summary>What a pull-through blob fetch did: an error or none, and whether the bytes went to the client as they were stored.</summary>
public sealed record BlobPullResult(DomainError? Error, bool Sent);
