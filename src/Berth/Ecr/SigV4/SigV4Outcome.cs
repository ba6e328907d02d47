using System.Diagnostics.CodeAnalysis;
using Berth.Domain;

namespace Berth.Ecr.SigV4;

/// <summary>The verdict on a request's signature: the signing key and its scope, or the AWS error to answer with.</summary>
public sealed class SigV4Outcome
{
    private SigV4Outcome(AccessKey? accessKey, string? region, string? service, string? errorType, string? message, int statusCode)
    {
        Succeeded = accessKey is not null;
        AccessKey = accessKey;
        Region = region;
        Service = service;
        ErrorType = errorType;
        Message = message;
        StatusCode = statusCode;
    }

    [MemberNotNullWhen(true, nameof(AccessKey), nameof(Region), nameof(Service))]
    [MemberNotNullWhen(false, nameof(ErrorType), nameof(Message))]
    public bool Succeeded { get; }

    /// <summary>The key that signed the request.</summary>
    public AccessKey? AccessKey { get; }

    /// <summary>The region of the credential scope.</summary>
    public string? Region { get; }

    /// <summary>The service of the credential scope, always <c>ecr</c>.</summary>
    public string? Service { get; }

    /// <summary>The AWS error shape name for <c>__type</c> and <c>X-Amzn-ErrorType</c>, e.g. <c>InvalidSignatureException</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>The AWS-style error message.</summary>
    public string? Message { get; }

    /// <summary>The HTTP status to answer a failure with; 200 on success.</summary>
    public int StatusCode { get; }

    public static SigV4Outcome Success(AccessKey accessKey, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(service);
        return new SigV4Outcome(accessKey, region, service, null, null, StatusCodes.Status200OK);
    }

    public static SigV4Outcome Failure(string errorType, string message, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(errorType);
        ArgumentNullException.ThrowIfNull(message);
        return new SigV4Outcome(null, null, null, errorType, message, statusCode);
    }

    // Never prints the secret: AccessKey's own ToString would.
    public override string ToString() => Succeeded
        ? $"Signed by {AccessKey.AccessKeyId} for {Service} in {Region}"
        : $"{StatusCode} {ErrorType}: {Message}";
}
