namespace Berth.Domain;

/// <summary>The closed set of expected failures the domain reports; each protocol maps every value in one table.</summary>
public enum ErrorCode
{
    InvalidParameter,
    RepositoryNotFound,
    RepositoryAlreadyExists,
    RepositoryNotEmpty,
    InvalidTagParameter,
    TooManyTags,
    LimitExceeded,
    AccessDenied,
    Unsupported,
}
