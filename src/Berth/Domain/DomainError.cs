namespace Berth.Domain;

/// <summary>An expected failure: a code from the closed set and the human-readable message ECR would give.</summary>
public sealed record DomainError(ErrorCode Code, string Message)
{
    public static DomainError RepositoryNotFound(RepositoryKey key) => new(
        ErrorCode.RepositoryNotFound,
        $"The repository with name '{key.Name}' does not exist in the registry with id '{key.AccountId}'");

    public static DomainError InvalidParameter(string member, string constraint) => new(
        ErrorCode.InvalidParameter,
        $"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'");
}
