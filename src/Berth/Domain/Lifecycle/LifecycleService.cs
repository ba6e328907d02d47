using Berth.Diagnostics;
using Berth.Domain.Events;
using Berth.Domain.Images;
using Berth.Domain.Outbox;

namespace Berth.Domain.Lifecycle;

/// <summary>
/// Lifecycle policies end to end: validation and storage, previews (run in the background, stored for
/// paging) and execution. Preview and execution call the same pure <see cref="LifecycleEvaluator"/>, so
/// they cannot disagree. A finished preview reports EXPIRED once it is older than the preview lifetime (a day unless
/// configured). Expiries are deleted in batches, each writing (when webhooks are configured) one event naming its
/// images in the same transaction, as ECR reports a run: a CloudTrail <c>PolicyExecutionEvent</c>.
/// </summary>
public sealed class LifecycleService(
    IMetadataStore store,
    TimeProvider time,
    ILogger<LifecycleService> logger,
    TimeSpan? previewLifetime = null,
    EventPublisher? events = null,
    OutboxSignal? outboxSignal = null)
{
    /// <summary>A preview still IN_PROGRESS after this long was abandoned (a crash) and may be restarted.</summary>
    public static readonly TimeSpan StalePreview = TimeSpan.FromMinutes(10);

    /// <summary>ECR keeps a preview's results for a day.</summary>
    public static readonly TimeSpan DefaultPreviewLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// The most images one run's event names: ECR splits a run that expires ten or more images into several events
    /// (a CloudTrail record's size limit), so each of Berth's stays under ten.
    /// </summary>
    public const int ImagesPerEvent = 9;

    private readonly TimeSpan _previewLifetime = previewLifetime ?? DefaultPreviewLifetime;

    public async Task<Result<string>> PutPolicyAsync(RepositoryKey repository, string text, CancellationToken cancellationToken)
    {
        var parsed = LifecyclePolicyParser.Parse(text);
        if (parsed.Policy is null)
        {
            return new DomainError(ErrorCode.InvalidParameter, parsed.ErrorMessage!);
        }

        return await store.Lifecycle.PutPolicyAsync(repository, text, cancellationToken) ? text : DomainError.RepositoryNotFound(repository);
    }

    public async Task<Result<LifecyclePolicyRecord>> GetPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        await store.Lifecycle.GetPolicyAsync(repository, cancellationToken) is { } policy
            ? policy
            : await MissingPolicyAsync(repository, cancellationToken);

    public async Task<Result<LifecyclePolicyRecord>> DeletePolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        await store.Lifecycle.DeletePolicyAsync(repository, cancellationToken) is { } policy
            ? policy
            : await MissingPolicyAsync(repository, cancellationToken);

    /// <summary>Starts a preview of <paramref name="text"/> (or the stored policy) and evaluates it in the background.</summary>
    public async Task<Result<string>> StartPreviewAsync(RepositoryKey repository, string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            var stored = await GetPolicyAsync(repository, cancellationToken);
            if (!stored.IsSuccess)
            {
                return stored.Error!;
            }

            text = stored.Value.Text;
        }

        var parsed = LifecyclePolicyParser.Parse(text);
        if (parsed.Policy is null)
        {
            return new DomainError(ErrorCode.InvalidParameter, parsed.ErrorMessage!);
        }

        switch (await store.Lifecycle.StartPreviewAsync(repository, text, time.GetUtcNow(), StalePreview, cancellationToken))
        {
            case PreviewStartOutcome.RepositoryNotFound:
                return DomainError.RepositoryNotFound(repository);
            case PreviewStartOutcome.InProgress:
                return new DomainError(
                    ErrorCode.LifecyclePreviewInProgress,
                    $"The previous lifecycle policy preview request has not completed for the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'. Please try again later.");
        }

        // The preview outlives the request that started it; clients poll GetLifecyclePolicyPreview.
        var policy = parsed.Policy;
        _ = Task.Run(() => RunPreviewAsync(repository, policy), CancellationToken.None);
        return text;
    }

    public async Task<Result<PreviewRecord>> GetPreviewAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        if (await store.Lifecycle.GetPreviewAsync(repository, cancellationToken) is { } preview)
        {
            return preview;
        }

        return await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? DomainError.RepositoryNotFound(repository)
            : new DomainError(
                ErrorCode.LifecyclePreviewNotFound,
                $"There is no dry run for the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");
    }

    /// <summary>The preview's state as of now: a finished preview expires once it is older than the preview lifetime.</summary>
    public LifecyclePreviewState StateOf(PreviewRecord preview) => preview.Status switch
    {
        PreviewStatus.InProgress => LifecyclePreviewState.InProgress,
        PreviewStatus.Failed => LifecyclePreviewState.Failed,
        _ when preview.FinishedAt < time.GetUtcNow() - _previewLifetime => LifecyclePreviewState.Expired,
        _ => LifecyclePreviewState.Complete,
    };

    /// <summary>Up to <paramref name="limit"/> results of the last preview ordered by digest, strictly after <paramref name="afterDigest"/>.</summary>
    public Task<Page<PreviewResultRecord>> ListPreviewResultsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken) =>
        store.Lifecycle.ListPreviewResultsAsync(repository, tagStatus, afterDigest, limit, cancellationToken);

    /// <summary>The results of the last preview for the given images only, ordered by digest.</summary>
    public async Task<IReadOnlyList<PreviewResultRecord>> FindPreviewResultsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        IReadOnlySet<Digest> digests,
        CancellationToken cancellationToken)
    {
        var matched = new List<PreviewResultRecord>();
        string? cursor = null;
        do
        {
            var page = await store.Lifecycle.ListPreviewResultsAsync(repository, tagStatus, cursor, 1000, cancellationToken);
            foreach (var result in page.Items)
            {
                if (digests.Contains(result.Digest))
                {
                    matched.Add(result);
                }
            }

            cursor = page.NextKey;
        }
        while (cursor is not null);

        return matched;
    }

    /// <summary>
    /// UpdateImageStorageClass: moves the image to <paramref name="target"/> unless it is there already. A restore
    /// completes at once here: there is no slower tier to bring the bytes back from.
    /// </summary>
    public async Task SetStorageClassAsync(RepositoryKey repository, ImageRecord image, ImageStorageClass target, CancellationToken cancellationToken)
    {
        if (image.StorageClass != target)
        {
            await store.Lifecycle.SetStorageClassAsync(repository, image.Digest, target, time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>Applies the repository's policy now: expired images are deleted, transitioned ones archived.</summary>
    public async Task<LifecycleRunReport> RunAsync(RepositoryKey repository, CancellationToken cancellationToken)
    {
        var policy = await store.Lifecycle.GetPolicyAsync(repository, cancellationToken);
        var parsed = policy is null ? null : LifecyclePolicyParser.Parse(policy.Text).Policy;
        if (parsed is null)
        {
            return new LifecycleRunReport(repository, 0, 0);
        }

        var now = time.GetUtcNow();
        var evaluation = await EvaluateAsync(repository, parsed, now, cancellationToken);
        var expired = 0;
        var transitioned = 0;

        // Indexes go before the manifests they list, which the store would otherwise refuse to delete.
        var imageOf = new Dictionary<string, LifecycleImage>(evaluation.Images.Count, StringComparer.Ordinal);
        foreach (var image in evaluation.Images)
        {
            imageOf[image.Digest] = image;
        }

        var ordered = new List<LifecycleDecision>(evaluation.Decisions);
        ordered.Sort((a, b) => imageOf[b.Digest].IsIndex.CompareTo(imageOf[a.Digest].IsIndex));
        var expiring = new List<LifecycleDecision>();
        foreach (var decision in ordered)
        {
            if (decision.Outcome == LifecycleOutcome.Expire)
            {
                expiring.Add(decision);
            }
            else if (decision.Outcome == LifecycleOutcome.Transition
                && await store.Lifecycle.SetStorageClassAsync(repository, Digest.Parse(decision.Digest), ImageStorageClass.Archive, now, cancellationToken))
            {
                transitioned++;
                logger.LifecycleTransitioned(repository.Name, decision.Digest, decision.RulePriority ?? 0, decision.Reason);
            }
        }

        var run = new LifecycleRunEvent(parsed.Rules, policy!.Text, policy.LastEvaluatedAt, []);
        for (var start = 0; start < expiring.Count; start += ImagesPerEvent)
        {
            var batch = expiring.GetRange(start, Math.Min(ImagesPerEvent, expiring.Count - start));
            var statuses = await ExpireAsync(repository, batch, imageOf, run, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                if (statuses[i] == DeleteImageStatus.Deleted)
                {
                    expired++;
                    logger.LifecycleExpired(repository.Name, batch[i].Digest, batch[i].RulePriority ?? 0, batch[i].Reason);
                }
            }
        }

        await store.Lifecycle.MarkEvaluatedAsync(repository, now, cancellationToken);
        return new LifecycleRunReport(repository, expired, transitioned);
    }

    /// <summary>
    /// Deletes a batch of expired images in one transaction with one event naming those it deleted (ECR's
    /// <c>PolicyExecutionEvent</c>), so the event can be neither lost nor wrong. Without webhooks, each goes alone.
    /// </summary>
    private async Task<IReadOnlyList<DeleteImageStatus>> ExpireAsync(
        RepositoryKey repository, List<LifecycleDecision> batch, Dictionary<string, LifecycleImage> imageOf, LifecycleRunEvent run, CancellationToken cancellationToken)
    {
        var digests = batch.ConvertAll(decision => Digest.Parse(decision.Digest));
        if (events is not { Enabled: true })
        {
            var statuses = new DeleteImageStatus[digests.Count];
            for (var i = 0; i < digests.Count; i++)
            {
                statuses[i] = await store.Images.DeleteImageAsync(repository, digests[i], cancellationToken);
            }

            return statuses;
        }

        var written = false;
        var result = await store.Images.DeleteImagesAsync(
            repository,
            digests,
            deleted =>
            {
                var expired = new List<ExpiredImage>(deleted.Count);
                foreach (var digest in deleted)
                {
                    var text = digest.ToString();
                    var image = imageOf[text];
                    expired.Add(new ExpiredImage(digest, image.Tags, image.PushedAt, batch.Find(d => d.Digest == text)!.RulePriority ?? 0));
                }

                written = true;
                return events.ForLifecycleRun(repository, run with { Images = expired });
            },
            cancellationToken);
        if (written)
        {
            outboxSignal?.Notify();
        }

        return result;
    }

    /// <summary>Runs every repository's policy, as the scheduled job and `berth lifecycle run` do.</summary>
    public async Task<IReadOnlyList<LifecycleRunReport>> RunAllAsync(string? repositoryName, CancellationToken cancellationToken)
    {
        var reports = new List<LifecycleRunReport>();
        foreach (var repository in await store.Lifecycle.ListRepositoriesWithPolicyAsync(cancellationToken))
        {
            if (repositoryName is null || repository.Name == repositoryName)
            {
                reports.Add(await RunAsync(repository, cancellationToken));
            }
        }

        return reports;
    }

    private async Task RunPreviewAsync(RepositoryKey repository, LifecyclePolicy policy)
    {
        try
        {
            var records = await store.Lifecycle.ListImagesForLifecycleAsync(repository, CancellationToken.None);
            var evaluation = Evaluate(records, policy, time.GetUtcNow());

            // In the store's image order (by digest), the order results are kept and paged in; the records keep
            // their parsed digests, so nothing is converted back.
            var results = new List<PreviewResultRecord>();
            for (var i = 0; i < records.Count; i++)
            {
                var outcome = evaluation.Decisions[i].Outcome;
                if (outcome != LifecycleOutcome.Keep)
                {
                    var record = records[i];
                    results.Add(new PreviewResultRecord(
                        record.Digest,
                        record.Tags,
                        record.PushedAt,
                        outcome == LifecycleOutcome.Transition,
                        evaluation.Decisions[i].RulePriority ?? 0,
                        record.StorageClass));
                }
            }

            await store.Lifecycle.CompletePreviewAsync(repository, results, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LifecyclePreviewFailed(repository.Name, ex);
            await store.Lifecycle.FailPreviewAsync(repository, time.GetUtcNow(), CancellationToken.None);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="text"/> over the repository's images as of now, storing nothing: a decision, with its
    /// reason, for every image (ECR's preview lists only the ones a rule acts on). The same evaluator as runs use.
    /// </summary>
    public async Task<Result<LifecycleEvaluation>> EvaluateTextAsync(RepositoryKey repository, string text, CancellationToken cancellationToken)
    {
        var parsed = LifecyclePolicyParser.Parse(text);
        if (parsed.Policy is null)
        {
            return new DomainError(ErrorCode.InvalidParameter, LifecyclePolicyParser.FormatFailureMessage(parsed.Error!));
        }

        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        return await EvaluateAsync(repository, parsed.Policy, time.GetUtcNow(), cancellationToken);
    }

    private async Task<LifecycleEvaluation> EvaluateAsync(RepositoryKey repository, LifecyclePolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        Evaluate(await store.Lifecycle.ListImagesForLifecycleAsync(repository, cancellationToken), policy, now);

    /// <summary>Evaluates the policy over the store's records; the evaluation's images and decisions are in the records' order.</summary>
    private static LifecycleEvaluation Evaluate(IReadOnlyList<LifecycleImageRecord> records, LifecyclePolicy policy, DateTimeOffset now)
    {
        var images = new List<LifecycleImage>(records.Count);
        foreach (var record in records)
        {
            var children = new string[record.ChildDigests.Count];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = record.ChildDigests[i].ToString();
            }

            images.Add(new LifecycleImage(
                record.Digest.ToString(),
                record.Tags,
                record.PushedAt,
                record.LastPulledAt,
                record.LastArchivedAt,
                record.StorageClass == ImageStorageClass.Archive ? StorageClass.Archive : StorageClass.Standard,
                record.MediaType,
                Manifests.ManifestMediaTypes.IsIndex(record.MediaType),
                children,
                record.Subject?.ToString())
            {
                LastActivatedAt = record.LastActivatedAt,
            });
        }

        return LifecycleEvaluator.Evaluate(policy, images, now);
    }

    private async Task<DomainError> MissingPolicyAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? DomainError.RepositoryNotFound(repository)
            : new DomainError(
                ErrorCode.LifecyclePolicyNotFound,
                $"Lifecycle policy does not exist for the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");
}

/// <summary>What one lifecycle run did to one repository.</summary>
public sealed record LifecycleRunReport(RepositoryKey Repository, int Expired, int Transitioned);
