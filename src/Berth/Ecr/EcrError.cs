namespace Berth.Ecr;

/// <summary>An AWS JSON error: the short shape name, its message, the HTTP status.</summary>
public sealed record EcrError(string Type, string Message, int StatusCode = 400)
{
    /// <summary>Extra modeled members of the error shape (InvalidLayerPartException's upload position).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Members { get; init; } = [];

    public static EcrError Serialization(string message) => new("SerializationException", message);

    public static EcrError UnknownOperation(string target) =>
        new("UnknownOperationException", $"The operation '{target}' is not an operation of AmazonEC2ContainerRegistry_V20150921.");

    /// <summary>A POST to a path other than <c>/</c>, where no operation lives.</summary>
    public static EcrError WrongPath(PathString path) => new(
        "UnknownOperationException",
        $"Berth answers the ECR API at POST / only, not at {path}: give --endpoint-url as http://host:port without a path.",
        404);

    public static EcrError NotImplemented(string operation) =>
        new("UnsupportedOperationException", $"Berth does not implement the ECR operation '{operation}' yet.");

    /// <summary>IAM's refusal, naming the principal, the action and the resource ARN.</summary>
    public static EcrError AccessDenied(string principalArn, string action, string resourceArn) => new(
        "AccessDeniedException",
        $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} because no resource-based policy allows the {action} action");

    public static EcrError Server() => new("ServerException", "An internal error occurred in Berth; the request was not applied.", 500);
}
