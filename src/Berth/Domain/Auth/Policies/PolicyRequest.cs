using System.Net;

namespace Berth.Domain.Auth.Policies;

/// <summary>
/// The facts one authorization decision reads. Everything but the resource's tags is known to a pipeline without a
/// store read; tags are loaded only when a policy in play reads them (<see cref="PolicyDocument.ReadsResourceTags"/>),
/// and a null tag map reads as "no such key".
/// </summary>
public sealed record PolicyRequest
{
    public PolicyRequest(Principal principal, string action, string resourceArn, DateTimeOffset currentTime)
    {
        Principal = principal;
        Action = action;
        ResourceArn = resourceArn;
        CurrentTime = currentTime;
        var parts = resourceArn.Split(':', 6);
        ResourceAccountId = parts.Length == 6 ? parts[4] : "";
    }

    /// <summary>A request on a registry or repository resource.</summary>
    public static PolicyRequest For(Principal principal, string action, RegistryResource resource, DateTimeOffset currentTime) =>
        new(principal, action, resource.Arn, currentTime);

    public Principal Principal { get; }

    /// <summary>The IAM action, such as <c>ecr:BatchGetImage</c>.</summary>
    public string Action { get; }

    public string ResourceArn { get; }

    /// <summary>The account that owns the resource (from its ARN): same-account and cross-account rules differ.</summary>
    public string ResourceAccountId { get; }

    public DateTimeOffset CurrentTime { get; }

    /// <summary>The caller's address (<c>aws:SourceIp</c>); null when unknown, which no IpAddress condition matches.</summary>
    public IPAddress? SourceIp { get; init; }

    /// <summary><c>aws:SecureTransport</c>: whether the request came over TLS.</summary>
    public bool SecureTransport { get; init; }

    /// <summary>The resource's tags (<c>aws:ResourceTag/*</c>); keys compare case-insensitively as IAM's do.</summary>
    public IReadOnlyDictionary<string, string>? ResourceTags { get; init; }

    /// <summary>Tags the request sets (<c>aws:RequestTag/*</c>): TagResource's and CreateRepository's tags.</summary>
    public IReadOnlyDictionary<string, string>? RequestTags { get; init; }

    /// <summary>
    /// Tag keys the request names (<c>aws:TagKeys</c>): TagResource's and CreateRepository's keys, UntagResource's
    /// <c>tagKeys</c>. Null when the request names no tags, which <c>ForAnyValue</c> never matches.
    /// </summary>
    public IReadOnlyList<string>? TagKeys { get; init; }
}
