using Berth.Domain.Auth;
using Berth.Domain.Events;
using Berth.Domain.Images;
using Berth.Domain.Outbox;
using Berth.Domain.Templates;

namespace Berth.Domain.Replication;

/// <summary>
/// Carries out one <c>replication</c> outbox message: copies an image to one destination and records the outcome.
/// Inside this Berth blobs are shared, so a copy is metadata (blob links, the manifest, its tag) written straight to
/// the store, never through <see cref="ManifestService"/>: a replicated image causes no replication of its own (no
/// chaining). A remote destination (<see cref="ReplicationOptions"/>) is pushed over <c>/v2/</c>.
/// </summary>
public sealed class ReplicationHandler(
    IMetadataStore store,
    CreationTemplateService templates,
    IAuthorizer authorizer,
    RemoteRegistryPusher remote,
    ReplicationOptions options,
    TimeProvider time,
    EventPublisher? events = null) : IOutboxHandler
{
    /// <summary>The IAM action a destination's registry policy must grant another account's source.</summary>
    public const string ReplicateAction = "ecr:ReplicateImage";

    public string Kind => ReplicationService.Kind;

    public async Task<OutboxResult> HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (ReplicationService.ReadTask(entry.Payload) is not { } task || !Digest.TryParse(task.Digest, out var digest))
        {
            // Nothing can ever make an unreadable payload work; there is no image to record a status against.
            return OutboxResult.Completed;
        }

        var failure = options.Find(task.Destination) is { } destination
            ? await remote.PushAsync(destination, task.Source, digest, task.Tag, cancellationToken) is { } remoteError
                ? OutboxResult.Retry(remoteError)
                : (OutboxResult?)null
            : await CopyLocallyAsync(task, digest, cancellationToken);
        if (failure is { } result)
        {
            return result;
        }

        await RecordAsync(task, digest, ReplicationState.Complete, null, cancellationToken);
        return OutboxResult.Completed;
    }

    public Task AbandonAsync(OutboxEntry entry, string lastError, CancellationToken cancellationToken) =>
        ReplicationService.ReadTask(entry.Payload) is { } task && Digest.TryParse(task.Digest, out var digest)
            ? RecordAsync(task, digest, ReplicationState.Failed, lastError, cancellationToken)
            : Task.CompletedTask;

    /// <summary>Null when the copy is made; a permanent failure is recorded here and answered as done.</summary>
    private async Task<OutboxResult?> CopyLocallyAsync(ReplicationTask task, Digest digest, CancellationToken cancellationToken)
    {
        var source = task.Source;
        var target = task.Destination.Scope.Repository(source.Name);
        if (task.DestinationRegistryId != task.SourceAccount)
        {
            var request = new AuthorizationRequest(
                Principal.Root(task.SourceAccount, RepositoryArn.Partition(task.SourceRegion)), ReplicateAction, RegistryResource.Of(target));
            if (await authorizer.AuthorizeAsync(request, cancellationToken) != AuthorizationDecision.Allowed)
            {
                return await FailAsync(
                    task, digest,
                    $"The registry policy of registry {task.DestinationRegistryId} in {task.DestinationRegion} does not allow {ReplicateAction} for account {task.SourceAccount}.",
                    cancellationToken);
            }
        }

        if (await store.Repositories.GetAsync(target, cancellationToken) is null)
        {
            // A missing destination comes from the longest-prefix REPLICATION template, or ECR's defaults without one.
            var created = await templates.CreateRepositoryAsync(target, TemplateUses.Replication, cancellationToken);
            if (!created.IsSuccess)
            {
                return await FailAsync(task, digest, created.Error!.Message, cancellationToken);
            }
        }

        return await CopyImageAsync(task, source, target, digest, task.Tag, cancellationToken);
    }

    private async Task<OutboxResult?> CopyImageAsync(
        ReplicationTask task, RepositoryKey source, RepositoryKey target, Digest digest, string? tag, CancellationToken cancellationToken)
    {
        if (await store.Images.GetImageAsync(source, digest, cancellationToken) is not { Manifest: { } bytes } image)
        {
            return await FailAsync(task, digest, $"The image {digest} is no longer in the source repository.", cancellationToken);
        }

        if (ManifestService.ReferencesOf(bytes, image.MediaType) is not { } references)
        {
            return await FailAsync(task, digest, $"The stored manifest {digest} no longer parses.", cancellationToken);
        }

        foreach (var reference in references)
        {
            if (reference.Kind == ImageReferenceKind.Manifest)
            {
                if (await CopyImageAsync(task, source, target, reference.Digest, null, cancellationToken) is { } childFailure)
                {
                    return childFailure;
                }
            }
            else if (await store.Images.MountBlobAsync(source, target, reference.Digest, cancellationToken) is null)
            {
                return OutboxResult.Retry($"The blob {reference.Digest} could not be linked into {target.Name} in {target.Region}/{target.AccountId}.");
            }
        }

        var copy = image with { PushedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()), LastPulledAt = null };
        var outcome = await store.Images.PutImageAsync(target, copy, bytes, references, tag, [], cancellationToken);
        if (outcome.Status == PutImageStatus.ImmutableTag)
        {
            // As ECR does: the tag stays where the immutable destination has it and the image is copied without it.
            outcome = await store.Images.PutImageAsync(target, copy, bytes, references, null, [], cancellationToken);
        }

        return outcome.Status switch
        {
            PutImageStatus.Created or PutImageStatus.Tagged or PutImageStatus.TagMoved or PutImageStatus.Unchanged => null,
            _ => OutboxResult.Retry($"Storing the copy in {target.Name} answered {outcome.Status}."),
        };
    }

    private async Task<OutboxResult?> FailAsync(ReplicationTask task, Digest digest, string reason, CancellationToken cancellationToken)
    {
        await RecordAsync(task, digest, ReplicationState.Failed, reason, cancellationToken);
        return OutboxResult.Completed;
    }

    private async Task RecordAsync(ReplicationTask task, Digest digest, ReplicationState state, string? failureCode, CancellationToken cancellationToken)
    {
        if (events is { Enabled: true })
        {
            // Enqueued before the status is recorded: a crash between the two repeats the copy and the event (at least
            // once) instead of losing the event.
            var messages = events.ForReplication(
                task.Source, digest, task.Tag, task.DestinationRegistryId, task.DestinationRegion, state == ReplicationState.Complete);
            if (messages.Count > 0)
            {
                await store.Outbox.EnqueueAsync(messages, cancellationToken);
            }
        }

        await store.Replication.SetStatusAsync(task.Source, digest, new ReplicationStatus(task.Destination, state, failureCode), time.GetUtcNow(), cancellationToken);
    }
}
