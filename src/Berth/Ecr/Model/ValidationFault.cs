using System.Text;
using System.Text.Json;

namespace Berth.Ecr.Model;

/// <summary>
/// A failure found deep in a request, carrying its path outwards: each enclosing level adds its segment
/// as the walk unwinds, so the success path never builds a path.
/// </summary>
internal sealed class ValidationFault
{
    private const string SerializationException = "SerializationException";
    private const string MustNotBeNull = "Member must not be null";

    private readonly List<string> _reversedPath = [];
    private readonly bool _isSerialization;
    private readonly string _text;

    private ValidationFault(bool isSerialization, string text, bool isConstraint = false)
    {
        _isSerialization = isSerialization;
        _text = text;
        IsConstraint = isConstraint;
    }

    /// <summary>True when a value broke a length, range, pattern or enum constraint of its own shape.</summary>
    public bool IsConstraint { get; }

    /// <summary>A model constraint is violated; reported with the operation's validation error type.</summary>
    public static ValidationFault Constraint(string constraint) => new(false, constraint, isConstraint: true);

    public static ValidationFault Missing() => new(false, MustNotBeNull);

    /// <summary>The JSON value has the wrong type for its shape.</summary>
    public static ValidationFault WrongType(JsonValueKind found, EcrShapeType expected) =>
        new(true, $"{Token(found)} can not be converted to {Article(expected)}");

    /// <summary>The JSON value has the right type but cannot be read as its shape (bad base64, broken escape).</summary>
    public static ValidationFault InvalidValue(string reason) => new(true, reason);

    public ValidationFault At(string segment)
    {
        _reversedPath.Add(segment);
        return this;
    }

    public ValidationFailure ToFailure(string validationErrorType)
    {
        var path = new StringBuilder();
        for (var i = _reversedPath.Count - 1; i >= 0; i--)
        {
            path.Append(_reversedPath[i]);
            if (i > 0)
            {
                path.Append('.');
            }
        }

        if (!_isSerialization)
        {
            return new(validationErrorType, $"Invalid parameter at '{path}' failed to satisfy constraint: '{_text}'");
        }

        var where = path.Length == 0 ? "in payload" : $"at '{path}'";
        return new(SerializationException, $"Invalid value {where}: {_text}");
    }

    private static string Token(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "START_OBJECT",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.String => "STRING_VALUE",
        JsonValueKind.Number => "NUMBER_VALUE",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN_VALUE",
        _ => "NULL_VALUE",
    };

    private static string Article(EcrShapeType type) => type switch
    {
        EcrShapeType.Structure => "a Structure",
        EcrShapeType.List => "a List",
        EcrShapeType.Map => "a Map",
        EcrShapeType.String => "a String",
        EcrShapeType.Integer => "an Integer",
        EcrShapeType.Long => "a Long",
        EcrShapeType.Float => "a Float",
        EcrShapeType.Double => "a Double",
        EcrShapeType.Boolean => "a Boolean",
        EcrShapeType.Timestamp => "a Timestamp",
        EcrShapeType.Blob => "a Blob",
        _ => type.ToString(),
    };
}
