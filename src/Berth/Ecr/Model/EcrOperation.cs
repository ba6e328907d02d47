namespace Berth.Ecr.Model;

/// <summary>One ECR API operation: its input, output and declared error shapes.</summary>
public sealed record EcrOperation(string Name, string? InputShape, string OutputShape, IReadOnlySet<string> ErrorShapes)
{
    public const string InvalidParameterException = "InvalidParameterException";
    public const string ValidationException = "ValidationException";

    /// <summary>
    /// The error type for a model constraint violation. ECR answers with InvalidParameterException;
    /// newer operations that declare only ValidationException use that instead.
    /// </summary>
    public string ValidationErrorType { get; } =
        !ErrorShapes.Contains(InvalidParameterException) && ErrorShapes.Contains(ValidationException)
            ? ValidationException
            : InvalidParameterException;

    /// <summary>Position in <see cref="EcrModel.Operations"/>; lets the validator index its tables.</summary>
    internal int Ordinal { get; init; } = -1;
}
