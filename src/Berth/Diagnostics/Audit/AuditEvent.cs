using Berth.Domain.Auth;

namespace Berth.Diagnostics.Audit;

/// <summary>Whether the request did what it asked, failed, or was refused before it could (authentication or authorization).</summary>
public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}

/// <summary>
/// One audited request: every request that changes state or is refused, on either protocol. It holds no secret:
/// no signature, token, password or query string; an access key id is an identifier, as CloudTrail records it.
/// </summary>
public sealed record AuditEvent
{
    /// <summary><c>ecr</c> (the JSON API) or <c>oci</c> (<c>/v2/</c>).</summary>
    public required string Protocol { get; init; }

    /// <summary>The ECR operation, or for <c>/v2/</c> the ECR action the request needs (PutImage, CompleteLayerUpload, ...).</summary>
    public required string EventName { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Region { get; init; }

    public required AuditOutcome Outcome { get; init; }

    public required bool ReadOnly { get; init; }

    /// <summary>Null when the caller was not authenticated.</summary>
    public Principal? Principal { get; init; }

    public string? AccessKeyId { get; init; }

    /// <summary>The registry or repository ARN the request was authorized on, when it got that far.</summary>
    public string? ResourceArn { get; init; }

    public string? SourceAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? RequestId { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public string? HttpMethod { get; init; }

    /// <summary>The request path without its query (a signed download URL carries its signature there).</summary>
    public string? Path { get; init; }

    public int StatusCode { get; init; }
}
