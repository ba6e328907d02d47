using System.Diagnostics.CodeAnalysis;

namespace Berth.Domain.Auth.Policies;

/// <summary>Either the validated policy or why it was refused; parsing never throws for bad input.</summary>
public sealed class PolicyParseResult
{
    private PolicyParseResult(PolicyDocument? policy, PolicyKind kind, string? error)
    {
        Policy = policy;
        Kind = kind;
        Error = error;
    }

    public PolicyDocument? Policy { get; }

    public PolicyKind Kind { get; }

    /// <summary>What is wrong, naming the statement and element, such as <c>Statement[1]: Effect must be 'Allow' or 'Deny'</c>.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Policy))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Policy is not null;

    /// <summary>The InvalidParameterException message SetRepositoryPolicy or PutRegistryPolicy answers; null on success.</summary>
    public string? ErrorMessage => Error is null ? null : PolicyMessages.InvalidParameter(Kind, Error);

    public static PolicyParseResult Success(PolicyDocument policy) => new(policy, policy.Kind, null);

    public static PolicyParseResult Failure(PolicyKind kind, string detail) => new(null, kind, detail);
}
