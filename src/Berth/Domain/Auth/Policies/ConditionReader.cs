using System.Text.Json;
using static Berth.Domain.Auth.Policies.PolicyMessages;

namespace Berth.Domain.Auth.Policies;

/// <summary>
/// Reads a statement's <c>Condition</c> block: <c>{"[ForAllValues:|ForAnyValue:]Operator[IfExists]": {"key": value(s)}}</c>.
/// Operators, keys and their pairing are checked here, and values are parsed for their operator, so a policy that
/// Berth could not evaluate as written is refused when it is put.
/// </summary>
internal static class ConditionReader
{
    private const string ForAllValuesPrefix = "ForAllValues:";
    private const string ForAnyValuePrefix = "ForAnyValue:";
    private const string IfExistsSuffix = "IfExists";

    public static string? Read(JsonElement element, string where, bool variables, out IReadOnlyList<PolicyCondition>? conditions)
    {
        conditions = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return BadCondition(where);
        }

        var list = new List<PolicyCondition>();
        var seenOperators = new HashSet<string>(StringComparer.Ordinal);
        foreach (var opProperty in element.EnumerateObject())
        {
            if (!seenOperators.Add(opProperty.Name))
            {
                return DuplicateElement(where, opProperty.Name);
            }

            if (!TryParseOperator(opProperty.Name, out var op, out var qualifier, out var ifExists))
            {
                return UnknownOperator(where, opProperty.Name);
            }

            if (opProperty.Value.ValueKind != JsonValueKind.Object)
            {
                return BadCondition(where);
            }

            var seenKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var keyProperty in opProperty.Value.EnumerateObject())
            {
                if (!seenKeys.Add(keyProperty.Name))
                {
                    return DuplicateElement(where, keyProperty.Name);
                }

                if (ConditionKey.Parse(keyProperty.Name) is not { } key)
                {
                    return UnknownKey(where, keyProperty.Name);
                }

                if (!Accepts(key.Kind, op))
                {
                    return KeyOperatorMismatch(where, opProperty.Name, key.Name);
                }

                if (key.IsSet && qualifier == SetQualifier.None && op != ConditionOperator.Null)
                {
                    return SetKeyNeedsQualifier(where, opProperty.Name, key.Name);
                }

                var error = ReadValues(keyProperty.Value, op, where, opProperty.Name, key.Name, variables, out var values);
                if (error is not null)
                {
                    return error;
                }

                list.Add(new PolicyCondition(op, qualifier, ifExists, key, values!));
            }
        }

        conditions = list;
        return null;
    }

    private static bool TryParseOperator(string name, out ConditionOperator op, out SetQualifier qualifier, out bool ifExists)
    {
        op = default;
        qualifier = SetQualifier.None;
        var rest = name;
        if (rest.StartsWith(ForAllValuesPrefix, StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest[ForAllValuesPrefix.Length..];
        }
        else if (rest.StartsWith(ForAnyValuePrefix, StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest[ForAnyValuePrefix.Length..];
        }

        ifExists = rest.EndsWith(IfExistsSuffix, StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^IfExistsSuffix.Length];
        }

        // Enum.TryParse would also take digits and comma lists; only a plain name is an operator.
        foreach (var c in rest)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        if (rest.Length == 0 || !Enum.TryParse(rest, ignoreCase: false, out op))
        {
            return false;
        }

        // Null tests presence itself, so neither a set qualifier nor IfExists means anything on it.
        return op != ConditionOperator.Null || (qualifier == SetQualifier.None && !ifExists);
    }

    /// <summary>Which operator families each key can be compared with; Null works on every key.</summary>
    private static bool Accepts(ConditionKeyKind key, ConditionOperator op)
    {
        if (op == ConditionOperator.Null)
        {
            return true;
        }

        var family = op switch
        {
            >= ConditionOperator.StringEquals and <= ConditionOperator.StringNotLike => "String",
            >= ConditionOperator.ArnEquals and <= ConditionOperator.ArnNotLike => "Arn",
            ConditionOperator.Bool => "Bool",
            ConditionOperator.IpAddress or ConditionOperator.NotIpAddress => "Ip",
            >= ConditionOperator.DateEquals and <= ConditionOperator.DateGreaterThanEquals => "Date",
            _ => "Numeric",
        };
        return key switch
        {
            ConditionKeyKind.PrincipalAccount or ConditionKeyKind.PrincipalType or ConditionKeyKind.TagKeys => family == "String",
            ConditionKeyKind.PrincipalArn => family is "String" or "Arn",
            ConditionKeyKind.SourceIp => family == "Ip",
            ConditionKeyKind.CurrentTime => family == "Date",
            ConditionKeyKind.SecureTransport => family == "Bool",

            // Tag values are text, which numeric and date operators may read as numbers and dates.
            _ => family is "String" or "Numeric" or "Date",
        };
    }

    private static string? ReadValues(
        JsonElement element, ConditionOperator op, string where, string opName, string keyName, bool variables,
        out IReadOnlyList<ConditionValue>? values)
    {
        values = null;
        var texts = new List<string>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            if (element.GetArrayLength() == 0)
            {
                return BadConditionValues(where, opName, keyName);
            }

            foreach (var item in element.EnumerateArray())
            {
                if (Scalar(item) is not { } text)
                {
                    return BadConditionValues(where, opName, keyName);
                }

                texts.Add(text);
            }
        }
        else if (Scalar(element) is { } single)
        {
            texts.Add(single);
        }
        else
        {
            return BadConditionValues(where, opName, keyName);
        }

        var parsed = new List<ConditionValue>(texts.Count);
        foreach (var text in texts)
        {
            if (variables && text.Contains("${", StringComparison.Ordinal))
            {
                return PolicyVariable(where, text);
            }

            if (ConditionValues.Read(op, text) is not { } value)
            {
                return BadConditionValue(where, opName, text);
            }

            parsed.Add(value);
        }

        values = parsed;
        return null;
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
