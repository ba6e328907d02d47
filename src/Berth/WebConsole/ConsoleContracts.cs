using System.Text.Json.Serialization;

namespace Berth.WebConsole;

/// <summary>The sign-in form.</summary>
public sealed record SignInRequest(string? AccessKeyId, string? SecretAccessKey);

/// <summary>Who is signed in, the token state-changing requests must send back, and when the session ends.</summary>
public sealed record SessionResponse(
    string PrincipalArn,
    string AccountId,
    string Region,
    string CsrfToken,
    DateTimeOffset ExpiresAt,
    string? AccessKeyId);

/// <summary>Which of <see cref="Actions"/> the caller may do on a repository (or the registry when none is named).</summary>
public sealed record PermissionsRequest(string? RegistryId, string? RepositoryName, IReadOnlyList<string>? Actions);

public sealed record PermissionsResponse(string ResourceArn, IReadOnlyList<PermissionDecision> Decisions);

/// <summary>One dry-run decision; <see cref="Reason"/> says why a refused action is refused.</summary>
public sealed record PermissionDecision(string Action, bool Allowed, string? Reason);

/// <summary>A page of a lifecycle policy evaluated over every image of a repository.</summary>
public sealed record ExplainLifecycleRequest(string? RegistryId, string? RepositoryName, string? LifecyclePolicyText, string? NextToken, int? MaxResults);

public sealed record ExplainLifecycleResponse(
    DateTimeOffset EvaluatedAt,
    int ImageCount,
    int ExpiringCount,
    int TransitioningCount,
    IReadOnlyList<ExplainedImage> Images,
    string? NextToken);

/// <summary>One image: what the policy does to it (EXPIRE, TRANSITION or KEEP), the rule that decided, and why.</summary>
public sealed record ExplainedImage(
    string ImageDigest,
    IReadOnlyList<string> ImageTags,
    DateTimeOffset ImagePushedAt,
    DateTimeOffset? LastRecordedPullTime,
    string StorageClass,
    string Action,
    int? AppliedRulePriority,
    string Reason,
    string? SubjectDigest);

/// <summary>A console error: the type names the failure as the ECR API would.</summary>
public sealed record ConsoleError([property: JsonPropertyName("__type")] string Type, string Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(PermissionsRequest))]
[JsonSerializable(typeof(PermissionsResponse))]
[JsonSerializable(typeof(ExplainLifecycleRequest))]
[JsonSerializable(typeof(ExplainLifecycleResponse))]
[JsonSerializable(typeof(ConsoleError))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
