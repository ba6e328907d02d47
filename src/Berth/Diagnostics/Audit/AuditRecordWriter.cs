using System.Globalization;
using System.Text.Json;
using Berth.Domain.Auth;

namespace Berth.Diagnostics.Audit;

/// <summary>
/// Writes an <see cref="AuditEvent"/> as one JSON line shaped like a CloudTrail record, so tools that read CloudTrail
/// (jq recipes, SIEM parsers) read Berth's; Berth's own facts (protocol, outcome, HTTP details) sit in
/// <c>additionalEventData</c>, where CloudTrail keeps service-specific data.
/// </summary>
internal static class AuditRecordWriter
{
    public static void Write(Utf8JsonWriter writer, AuditEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("eventVersion"u8, "1.09");
        writer.WriteString("eventTime"u8, e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("eventSource"u8, "ecr.amazonaws.com");
        writer.WriteString("eventName"u8, e.EventName);
        WriteIfPresent(writer, "awsRegion"u8, e.Region.Length > 0 ? e.Region : null);
        WriteIfPresent(writer, "sourceIPAddress"u8, e.SourceAddress);
        WriteIfPresent(writer, "userAgent"u8, e.UserAgent);

        writer.WriteStartObject("userIdentity"u8);
        if (e.Principal is { } principal)
        {
            writer.WriteString("type"u8, TypeOf(principal.Kind));
            writer.WriteString("arn"u8, principal.Arn);
            writer.WriteString("accountId"u8, principal.AccountId);
            WriteIfPresent(writer, "accessKeyId"u8, e.AccessKeyId);
        }
        else
        {
            writer.WriteString("type"u8, "Unknown");
            WriteIfPresent(writer, "accessKeyId"u8, e.AccessKeyId);
        }

        writer.WriteEndObject();

        WriteIfPresent(writer, "requestID"u8, e.RequestId);
        writer.WriteString("eventID"u8, Guid.NewGuid().ToString("D"));
        writer.WriteString("eventType"u8, "AwsApiCall");
        writer.WriteBoolean("readOnly"u8, e.ReadOnly);
        if (e.ResourceArn is { } arn)
        {
            writer.WriteStartArray("resources"u8);
            writer.WriteStartObject();
            writer.WriteString("ARN"u8, arn);
            if (AccountOf(arn) is { } account)
            {
                writer.WriteString("accountId"u8, account);
            }

            writer.WriteString("type"u8, arn.EndsWith(":registry", StringComparison.Ordinal) ? "AWS::ECR::Registry" : "AWS::ECR::Repository");
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (AccountOf(arn) is { } recipient)
            {
                writer.WriteString("recipientAccountId"u8, recipient);
            }
        }

        WriteIfPresent(writer, "errorCode"u8, e.ErrorCode);
        WriteIfPresent(writer, "errorMessage"u8, e.ErrorMessage);

        writer.WriteStartObject("additionalEventData"u8);
        writer.WriteString("protocol"u8, e.Protocol);
        writer.WriteString("outcome"u8, e.Outcome switch
        {
            AuditOutcome.Success => "Success",
            AuditOutcome.Failure => "Failure",
            AuditOutcome.Denied => "Denied",
            _ => "Unknown",
        });
        WriteIfPresent(writer, "httpMethod"u8, e.HttpMethod);
        WriteIfPresent(writer, "path"u8, e.Path);
        if (e.StatusCode != 0)
        {
            writer.WriteNumber("statusCode"u8, e.StatusCode);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string TypeOf(PrincipalKind kind) => kind switch
    {
        PrincipalKind.Root => "Root",
        PrincipalKind.User => "IAMUser",
        PrincipalKind.Role => "AssumedRole",
        _ => "Unknown",
    };

    // arn:partition:ecr:region:account:resource
    private static string? AccountOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[4].Length > 0 ? parts[4] : null;
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
