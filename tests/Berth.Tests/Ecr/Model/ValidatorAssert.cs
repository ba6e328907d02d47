using System.Text.Json;
using Berth.Ecr.Model;

namespace Berth.Tests.Ecr.Model;

/// <summary>Runs the shared validator on a JSON body for a named operation.</summary>
internal static class ValidatorAssert
{
    public static ValidationFailure? Validate(string operationName, string json)
    {
        Assert.True(EcrModel.Shared.TryGetOperation(operationName, out var operation), operationName);
        return Validate(RequestValidator.Shared, operation, json);
    }

    public static ValidationFailure? Validate(RequestValidator validator, EcrOperation operation, string json)
    {
        using var document = JsonDocument.Parse(json);
        return validator.Validate(operation, document.RootElement);
    }

    public static void Valid(string operationName, string json) => Assert.Null(Validate(operationName, json));

    public static void Fails(string operationName, string json, string errorType, string message)
    {
        var failure = Validate(operationName, json);
        Assert.NotNull(failure);
        Assert.Equal(new ValidationFailure(errorType, message), failure.Value);
    }

    /// <summary>A constraint failure in ECR's wording, for an operation that reports InvalidParameterException.</summary>
    public static void Violates(string operationName, string json, string path, string constraint) =>
        Fails(
            operationName,
            json,
            "InvalidParameterException",
            $"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'");

    public static void Unreadable(string operationName, string json, string message) =>
        Fails(operationName, json, "SerializationException", message);
}
