using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Domain.Lifecycle;

/// <summary>
/// The JSON-schema-validator wording ECR uses for lifecycle policy failures, so clients that match on the text
/// see what they see from AWS.
/// </summary>
internal static class LifecycleSchemaMessages
{
    public const string CouldNotMap = "Could not map policyString into LifecyclePolicy.";

    /// <summary>What ECR reports for JSON nulls and for count type / count unit combinations its schema's oneOf refuses.</summary>
    public const string NoSchemaMatched = "instance failed to match exactly one schema (matched 0 out of 2)";

    public static string MissingRequired(IEnumerable<string> names) => $"object has missing required properties ({JsonList(names)})";

    public static string NotAllowed(IEnumerable<string> names) =>
        $"object instance has properties which are not allowed by the schema: ({JsonList(names)})";

    public static string NotInEnum(string value, IEnumerable<string> allowed) =>
        $"instance value ({value}) not found in enum :(possible values: {JsonList(allowed)})";

    public static string WrongType(string found, string allowed) =>
        $"instance type ({found}) does not match any allowed primitive type (allowed: [\"{allowed}\"])";

    public static string BelowMinimum(long minimum, string found) =>
        $"numeric instance is lower than the required minimum (minimum: {minimum.ToString(CultureInfo.InvariantCulture)}, found: {found})";

    public static string AboveMaximum(long maximum, string found) =>
        $"numeric instance is greater than the required maximum (maximum: {maximum.ToString(CultureInfo.InvariantCulture)}, found: {found})";

    public static string ArrayTooShort(int minimum, int found) =>
        string.Create(CultureInfo.InvariantCulture, $"array is too short: must have at least {minimum} elements but instance has {found} elements");

    public static string ArrayTooLong(int maximum, int found) =>
        string.Create(CultureInfo.InvariantCulture, $"array is too long: must have at most {maximum} elements but instance has {found} elements");

    /// <summary>The schema's name for a JSON value's type; numbers written with a fraction or exponent are not integers.</summary>
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsIntegerLiteral(value) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static bool IsIntegerLiteral(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;

    /// <summary>Names sorted ordinally as a compact JSON array, the way the schema validator prints them.</summary>
    private static string JsonList(IEnumerable<string> names)
    {
        var sorted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var text = new StringBuilder("[");
        foreach (var name in sorted)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append('"').Append(JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Append('"');
        }

        return text.Append(']').ToString();
    }
}
