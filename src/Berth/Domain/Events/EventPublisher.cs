using System.Text.Json;
using Berth.Domain.Outbox;

namespace Berth.Domain.Events;

/// <summary>
/// Turns a change into outbox messages, one per (event, webhook) that wants it by type and repository prefix, so
/// each webhook's retries are independent. The caller writes them in the change's own transaction.
/// </summary>
public sealed class EventPublisher(EventOptions options, TimeProvider time)
{
    /// <summary>The outbox kind of one event to one webhook.</summary>
    public const string Kind = "event";

    /// <summary>Whether any webhook is configured; callers skip building events when not.</summary>
    public bool Enabled => options.Webhooks.Count > 0;

    /// <summary>"ECR Image Action" PUSH of a manifest, tagged when <paramref name="tag"/> is set.</summary>
    public IReadOnlyList<OutboxMessage> ForPush(RepositoryKey repository, Digest digest, string? tag, string manifestMediaType, string? artifactMediaType) =>
        For(EventTypes.ImageAction, repository, json =>
        {
            WriteImageAction(json, repository, digest, "PUSH", tag);
            json.WriteString("manifest-media-type", manifestMediaType);
            if (artifactMediaType is not null)
            {
                json.WriteString("artifact-media-type", artifactMediaType);
            }
        });

    /// <summary>"ECR Image Action" DELETE: of the image by digest, or of one tag of it.</summary>
    public IReadOnlyList<OutboxMessage> ForDelete(RepositoryKey repository, Digest digest, string? tag) =>
        For(EventTypes.ImageAction, repository, json => WriteImageAction(json, repository, digest, "DELETE", tag));

    /// <summary>The fields every "ECR Image Action" detail starts with.</summary>
    private static void WriteImageAction(Utf8JsonWriter json, RepositoryKey repository, Digest digest, string action, string? tag)
    {
        json.WriteString("result", "SUCCESS");
        json.WriteString("repository-name", repository.Name);
        json.WriteString("image-digest", digest.ToString());
        json.WriteString("action-type", action);
        if (tag is not null)
        {
            json.WriteString("image-tag", tag);
        }
    }

    /// <summary>
    /// "ECR Image Scan" when a scan of <paramref name="digest"/> finished with <paramref name="status"/>; the counts name
    /// only the severities that have findings, as ECR's do.
    /// </summary>
    public IReadOnlyList<OutboxMessage> ForScan(
        RepositoryKey repository, Digest digest, IReadOnlyList<string> tags, string status, IReadOnlyDictionary<string, int>? severityCounts) =>
        For(EventTypes.ImageScan, repository, json =>
        {
            json.WriteString("scan-status", status);
            json.WriteString("repository-name", repository.Name);
            json.WriteStartObject("finding-severity-counts");
            if (severityCounts is not null)
            {
                foreach (var (severity, count) in severityCounts)
                {
                    if (count > 0)
                    {
                        json.WriteNumber(severity, count);
                    }
                }
            }

            json.WriteEndObject();
            json.WriteString("image-digest", digest.ToString());
            EventEnvelope.WriteStrings(json, "image-tags", tags);
        });

    /// <summary>
    /// "ECR Pull Through Cache Action": an image cached from the upstream (SUCCESS, with its digest) or a fetch that
    /// failed (FAILED, with why; the digest only when it was known).
    /// </summary>
    public IReadOnlyList<OutboxMessage> ForPullThrough(RepositoryKey repository, PullThroughSync sync) =>
        For(EventTypes.PullThroughCacheAction, repository, json =>
        {
            // ECR numbers a rule's versions; Berth keeps none, and "1" is what ECR shows for a rule never updated.
            json.WriteString("rule-version", "1");
            json.WriteString("sync-status", sync.Failure is null ? "SUCCESS" : "FAILED");
            json.WriteString("ecr-repository-prefix", sync.EcrRepositoryPrefix);
            json.WriteString("repository-name", repository.Name);
            json.WriteString("upstream-registry-url", sync.UpstreamRegistryUrl);
            if (sync.Tag is not null)
            {
                json.WriteString("image-tag", sync.Tag);
            }

            if (sync.Digest is { } digest)
            {
                json.WriteString("image-digest", digest.ToString());
            }

            if (sync.Failure is { } failure)
            {
                json.WriteString("failure-code", failure.Code.ToString());
                json.WriteString("failure-reason", failure.Message);
            }
        });

    /// <summary>
    /// One lifecycle run's expiries in a repository, as ECR reports them: a CloudTrail <c>PolicyExecutionEvent</c>
    /// (<see cref="EventTypes.ServiceEventViaCloudTrail"/>) listing the images with the rule that expired each.
    /// </summary>
    public IReadOnlyList<OutboxMessage> ForLifecycleRun(RepositoryKey repository, LifecycleRunEvent run)
    {
        var eventId = Guid.NewGuid().ToString();
        var now = time.GetUtcNow();
        return For(EventTypes.ServiceEventViaCloudTrail, repository, json => LifecycleEventDetail.Write(json, repository, run, eventId, now));
    }

    /// <summary>"ECR Replication Action" REPLICATE of one image to one destination, with its outcome.</summary>
    public IReadOnlyList<OutboxMessage> ForReplication(
        RepositoryKey source, Digest digest, string? tag, string destinationAccount, string destinationRegion, bool succeeded) =>
        For(EventTypes.ReplicationAction, source, json =>
        {
            json.WriteString("result", succeeded ? "SUCCESS" : "FAILED");
            json.WriteString("repository-name", source.Name);
            json.WriteString("image-digest", digest.ToString());
            json.WriteString("action-type", "REPLICATE");
            if (tag is not null)
            {
                json.WriteString("image-tag", tag);
            }

            json.WriteString("source-account", source.AccountId);
            json.WriteString("source-region", source.Region);
            json.WriteString("destination-account", destinationAccount);
            json.WriteString("destination-region", destinationRegion);
        });

    private List<OutboxMessage> For(string type, RepositoryKey repository, Action<Utf8JsonWriter> detail)
    {
        if (options.Webhooks.Count == 0)
        {
            return [];
        }

        List<OutboxMessage>? messages = null;
        string? id = null;
        string? body = null;
        var now = time.GetUtcNow();
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            if (!options.Webhooks[i].Wants(type, repository.Name))
            {
                continue;
            }

            // One event, one id and body, whichever webhooks receive it.
            id ??= Guid.NewGuid().ToString();
            body ??= EventEnvelope.Write(id, type, repository, now, detail);
            var delivery = new WebhookDelivery(i, id, type, EventEnvelope.FormatTime(now), body);
            (messages ??= []).Add(new OutboxMessage(Kind, $"{i}/{id}", JsonSerializer.Serialize(delivery, EventJson.Default.WebhookDelivery)));
        }

        return messages ?? [];
    }
}
