using System.Diagnostics.CodeAnalysis;

namespace Berth.Domain.Lifecycle;

/// <summary>Either the validated policy or the detail of why it was refused; parsing never throws for bad input.</summary>
public sealed class LifecyclePolicyParseResult
{
    private LifecyclePolicyParseResult(LifecyclePolicy? policy, string? error)
    {
        Policy = policy;
        Error = error;
    }

    public LifecyclePolicy? Policy { get; }

    /// <summary>The detail part of ECR's message, such as <c>object has missing required properties (["rules"])</c>.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Policy))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Policy is not null;

    /// <summary>The whole InvalidParameterException message for a refused policy; null on success.</summary>
    public string? ErrorMessage => Error is null ? null : LifecyclePolicyParser.FormatFailureMessage(Error);

    public static LifecyclePolicyParseResult Success(LifecyclePolicy policy) => new(policy, null);

    public static LifecyclePolicyParseResult Failure(string detail) => new(null, detail);
}
