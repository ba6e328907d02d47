namespace Berth.Domain;

/// <summary>An expected failure: a code from the closed set and the human-readable message ECR would give.</summary>
public sealed record DomainError(ErrorCode Code, string Message)
{
    public static DomainError RepositoryNotFound(RepositoryKey key) => new(
        ErrorCode.RepositoryNotFound,
        $"The repository with name '{key.Name}' does not exist in the registry with id '{key.AccountId}'");

    /// <summary>ECR's ImageNotFoundException text, naming the id as the caller gave it.</summary>
    public static DomainError ImageNotFound(RepositoryKey key, string? digest, string? tag) => new(
        ErrorCode.ImageNotFound,
        $"The image with imageId {{imageDigest:'{digest ?? "null"}', imageTag:'{tag ?? "null"}'}} does not exist within the repository with name '{key.Name}' in the registry with id '{key.AccountId}'");

    public static DomainError InvalidParameter(string member, string constraint) => new(
        ErrorCode.InvalidParameter,
        $"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'");
}
