using System.Diagnostics.CodeAnalysis;

namespace Berth.Domain.Lifecycle;

/// <summary>Either the validated policy or the detail of why it was refused; parsing never throws for bad input.</summary>
public sealed class LifecyclePolicyParseResult
{
    private LifecyclePolicyParseResult(LifecyclePolicy? policy, string? error, string? location = null)
    {
        Policy = policy;
        Error = error;
        Location = location;
    }

    public LifecyclePolicy? Policy { get; }

    /// <summary>The detail part of ECR's message, such as <c>object has missing required properties (["rules"])</c>.</summary>
    public string? Error { get; }

    /// <summary>
    /// Where in the text the failure is, for a failure inside one rule: <c>rule 2 (rulePriority 5), field
    /// selection.tagStatus</c>; null when it concerns the whole policy. ECR's detail names neither.
    /// </summary>
    public string? Location { get; }

    [MemberNotNullWhen(true, nameof(Policy))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Policy is not null;

    /// <summary>The whole InvalidParameterException message for a refused policy; null on success.</summary>
    public string? ErrorMessage => Error is null ? null : LifecyclePolicyParser.FormatFailureMessage(Error, Location);

    public static LifecyclePolicyParseResult Success(LifecyclePolicy policy) => new(policy, null);

    public static LifecyclePolicyParseResult Failure(string detail, string? location = null) => new(null, detail, location);
}
