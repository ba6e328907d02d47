using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Domain.Lifecycle;

namespace Berth.Domain.Events;

/// <summary>
/// The detail of a lifecycle run's event: the CloudTrail record of ECR's <c>PolicyExecutionEvent</c>, as CloudTrail
/// forwards it to EventBridge. The service acts on its own, so the identity, address and agent are "AWS Internal",
/// there are no request parameters, and <c>serviceEventDetails</c> holds the policy (rules in CloudTrail's words, its
/// id, version and last evaluation in Unix milliseconds) and each expired image with the rule priority that expired it.
/// </summary>
public static class LifecycleEventDetail
{
    private const string Internal = "AWS Internal";

    /// <summary>ECR names at most this many of an expired image's tags in its record (the record's size limit).</summary>
    public const int MaxTagsPerImage = 100;

    public static void Write(Utf8JsonWriter json, RepositoryKey repository, LifecycleRunEvent run, string eventId, DateTimeOffset now)
    {
        json.WriteString("eventVersion", "1.08");
        json.WriteStartObject("userIdentity");
        json.WriteString("accountId", repository.AccountId);
        json.WriteString("invokedBy", Internal);
        json.WriteEndObject();
        json.WriteString("eventTime", EventEnvelope.FormatTime(now));
        json.WriteString("eventSource", "ecr.amazonaws.com");
        json.WriteString("eventName", "PolicyExecutionEvent");
        json.WriteString("awsRegion", repository.Region);
        json.WriteString("sourceIPAddress", Internal);
        json.WriteString("userAgent", Internal);
        json.WriteNull("requestParameters");
        json.WriteNull("responseElements");
        json.WriteString("eventID", eventId);
        json.WriteBoolean("readOnly", true);
        json.WriteStartArray("resources");
        json.WriteStartObject();
        json.WriteString("ARN", RepositoryArn.Format(repository));
        json.WriteString("accountId", repository.AccountId);
        json.WriteString("type", "AWS::ECR::Repository");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("eventType", "AwsServiceEvent");
        json.WriteBoolean("managementEvent", true);
        json.WriteString("recipientAccountId", repository.AccountId);
        json.WriteStartObject("serviceEventDetails");
        json.WriteString("repositoryName", repository.Name);
        WritePolicy(json, run);
        json.WriteStartArray("lifecycleEventImageActions");
        foreach (var image in run.Images)
        {
            json.WriteStartObject();
            json.WriteStartObject("lifecycleEventImage");
            json.WriteString("digest", image.Digest.ToString());
            json.WriteString("tagStatus", image.Tags.Count > 0 ? "Tagged" : "Untagged");
            EventEnvelope.WriteStrings(json, "tagList", image.Tags, MaxTagsPerImage);
            json.WriteNumber("pushedAt", image.PushedAt.ToUnixTimeMilliseconds());
            json.WriteEndObject();
            json.WriteNumber("rulePriority", image.RulePriority);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("lifecycleEventFailureDetails");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("eventCategory", "Management");
    }

    /// <summary>
    /// A stable id for a policy text: ECR gives each stored policy a uuid; Berth keeps none, so the same text always
    /// names the same id and an edited policy a new one.
    /// </summary>
    public static string PolicyId(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }

    private static void WritePolicy(Utf8JsonWriter json, LifecycleRunEvent run)
    {
        json.WriteStartObject("lifecycleEventPolicy");
        json.WriteStartArray("lifecycleEventRules");
        foreach (var rule in run.Rules)
        {
            json.WriteStartObject();
            json.WriteNumber("rulePriority", rule.Priority);
            if (rule.Description is not null)
            {
                json.WriteString("description", rule.Description);
            }

            var selection = rule.Selection;
            json.WriteStartObject("lifecycleEventSelection");
            json.WriteString("tagStatus", selection.TagStatus switch
            {
                TagStatus.Tagged => "Tagged",
                TagStatus.Untagged => "Untagged",
                _ => "Any",
            });
            EventEnvelope.WriteStrings(json, "tagPrefixList", selection.TagPrefixList);
            EventEnvelope.WriteStrings(json, "tagPatternList", selection.TagPatternList);

            // ECR's records show the first two; the newer count types follow the same wording.
            json.WriteString("countType", selection.CountType switch
            {
                CountType.ImageCountMoreThan => "Image count more than",
                CountType.SinceImagePushed => "Time since image pushed",
                CountType.SinceImagePulled => "Time since image pulled",
                _ => "Time since image transitioned",
            });
            if (selection.CountUnit is not null)
            {
                json.WriteString("countUnit", "Days");
            }

            json.WriteNumber("countNumber", selection.CountNumber);
            json.WriteEndObject();
            json.WriteString("action", rule.Action.Type == LifecycleActionType.Expire ? "expire" : "transition");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("lastEvaluatedAt", run.LastEvaluatedAt?.ToUnixTimeMilliseconds() ?? 0);
        json.WriteNumber("policyVersion", 1);
        json.WriteString("policyId", PolicyId(run.PolicyText));
        json.WriteEndObject();
    }
}
