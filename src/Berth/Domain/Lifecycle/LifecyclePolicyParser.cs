using System.Globalization;
using System.Text.Json;
using static Berth.Domain.Lifecycle.LifecycleSchemaMessages;

namespace Berth.Domain.Lifecycle;

/// <summary>
/// Reads lifecycle policy text into a <see cref="LifecyclePolicy"/>: first the JSON schema (shapes, types, enums,
/// required and unknown properties), then the rules ECR enforces across fields and rules
/// (<see cref="LifecyclePolicyRuleChecks"/>). The first failure found is reported.
/// </summary>
public static class LifecyclePolicyParser
{
    /// <summary>Shortest policy text the service model accepts; checked by the request validator, not here.</summary>
    public const int MinTextLength = 100;

    /// <summary>Longest policy text the service model accepts; checked by the request validator, not here.</summary>
    public const int MaxTextLength = 30_720;

    public const int MaxRules = 50;

    public const int MaxWildcardsPerPattern = 4;

    /// <summary>Archived images stay at least this long, so an archive expiry rule may not use a shorter age.</summary>
    public const int MinDaysArchivedBeforeExpiry = 90;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    // Property tables: allowed names in reading order, and the required ones.
    private static readonly string[] RootProperties = ["rules"];
    private static readonly string[] RuleProperties = ["rulePriority", "description", "selection", "action"];
    private static readonly string[] RuleRequired = ["rulePriority", "selection", "action"];
    private static readonly string[] SelectionProperties =
        ["tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit", "countNumber"];
    private static readonly string[] SelectionRequired = ["tagStatus", "countType", "countNumber"];
    private static readonly string[] ActionProperties = ["type", "targetStorageClass"];
    private static readonly string[] ActionRequired = ["type"];

    // Enum spellings, sorted as the schema validator lists them; the parallel arrays give the values.
    private static readonly string[] TagStatusNames = ["any", "tagged", "untagged"];
    private static readonly TagStatus[] TagStatusValues = [TagStatus.Any, TagStatus.Tagged, TagStatus.Untagged];
    private static readonly string[] StorageClassNames = ["archive", "standard"];
    private static readonly StorageClass[] StorageClassValues = [StorageClass.Archive, StorageClass.Standard];
    private static readonly string[] CountTypeNames =
        ["imageCountMoreThan", "sinceImagePulled", "sinceImagePushed", "sinceImageTransitioned"];
    private static readonly CountType[] CountTypeValues =
        [CountType.ImageCountMoreThan, CountType.SinceImagePulled, CountType.SinceImagePushed, CountType.SinceImageTransitioned];
    private static readonly string[] CountUnitNames = ["days"];
    private static readonly string[] ActionTypeNames = ["expire", "transition"];
    private static readonly LifecycleActionType[] ActionTypeValues = [LifecycleActionType.Expire, LifecycleActionType.Transition];
    private static readonly string[] TargetStorageClassNames = ["archive"];

    /// <summary>Parses and validates policy text; never throws for bad input.</summary>
    public static LifecyclePolicyParseResult Parse(string policyText)
    {
        ArgumentNullException.ThrowIfNull(policyText);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(policyText, DocumentOptions);
        }
        catch (JsonException)
        {
            return LifecyclePolicyParseResult.Failure(CouldNotMap);
        }

        using (document)
        {
            try
            {
                return ReadPolicy(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // GetString refuses escapes that leave a UTF-16 surrogate unpaired: text no mapper could read.
                return LifecyclePolicyParseResult.Failure(CouldNotMap);
            }
        }
    }

    /// <summary>
    /// ECR's InvalidParameterException message around a failure detail, followed by where it is when the failure is
    /// inside one rule (ECR's own message does not say, which leaves a user of a 20-rule policy guessing).
    /// </summary>
    public static string FormatFailureMessage(string detail, string? location = null) =>
        $"Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {detail}'"
        + (location is null ? string.Empty : $" (in {location})");

    private static LifecyclePolicyParseResult ReadPolicy(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return LifecyclePolicyParseResult.Failure(CouldNotMap);
        }

        var slots = new JsonElement?[RootProperties.Length];
        var error = ReadObject(root, RootProperties, RootProperties, slots);
        if (error is not null)
        {
            return LifecyclePolicyParseResult.Failure(error);
        }

        var rulesElement = slots[0]!.Value;
        error = ExpectKind(rulesElement, JsonValueKind.Array, "array");
        if (error is not null)
        {
            return LifecyclePolicyParseResult.Failure(error);
        }

        var count = rulesElement.GetArrayLength();
        if (count == 0)
        {
            return LifecyclePolicyParseResult.Failure(ArrayTooShort(1, 0));
        }

        if (count > MaxRules)
        {
            return LifecyclePolicyParseResult.Failure(ArrayTooLong(MaxRules, count));
        }

        var rules = new List<LifecycleRule>(count);
        foreach (var ruleElement in rulesElement.EnumerateArray())
        {
            var field = string.Empty;
            error = ReadRule(ruleElement, out var rule, ref field);
            if (error is not null)
            {
                return LifecyclePolicyParseResult.Failure(error, RuleLocation(rules.Count, ruleElement, field));
            }

            rules.Add(rule!);
        }

        error = LifecyclePolicyRuleChecks.Check(rules);
        if (error is not null)
        {
            return LifecyclePolicyParseResult.Failure(error);
        }

        rules.Sort(static (a, b) => a.Priority.CompareTo(b.Priority));
        return LifecyclePolicyParseResult.Success(new LifecyclePolicy(rules));
    }

    /// <summary>Names a rule by position and, when it can be read, its rulePriority; then the field at fault.</summary>
    private static string RuleLocation(int index, JsonElement rule, string field)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"rule {index + 1}");
        if (rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("rulePriority", out var priority) && priority.ValueKind == JsonValueKind.Number)
        {
            text += $" (rulePriority {priority.GetRawText()})";
        }

        return field.Length == 0 ? text : $"{text}, field {field}";
    }

    private static string? ReadRule(JsonElement element, out LifecycleRule? rule, ref string field)
    {
        rule = null;
        var error = ExpectKind(element, JsonValueKind.Object, "object");
        if (error is not null)
        {
            return error;
        }

        var slots = new JsonElement?[RuleProperties.Length];
        error = ReadObject(element, RuleProperties, RuleRequired, slots);
        if (error is not null)
        {
            return error;
        }

        field = "rulePriority";
        error = ReadInteger(slots[0]!.Value, 1, out var priority);
        if (error is not null)
        {
            return error;
        }

        string? description = null;
        field = "description";
        if (slots[1] is { } descriptionElement)
        {
            error = ExpectKind(descriptionElement, JsonValueKind.String, "string");
            if (error is not null)
            {
                return error;
            }

            description = descriptionElement.GetString();
        }

        field = "selection";
        error = ReadSelection(slots[2]!.Value, out var selection, ref field);
        if (error is not null)
        {
            return error;
        }

        field = "action";
        error = ReadAction(slots[3]!.Value, out var action, ref field);
        if (error is not null)
        {
            return error;
        }

        field = string.Empty;

        rule = new LifecycleRule(priority, description, selection!, action!);
        return null;
    }

    private static string? ReadSelection(JsonElement element, out RuleSelection? selection, ref string field)
    {
        selection = null;
        var error = ExpectKind(element, JsonValueKind.Object, "object");
        if (error is not null)
        {
            return error;
        }

        var slots = new JsonElement?[SelectionProperties.Length];
        error = ReadObject(element, SelectionProperties, SelectionRequired, slots);
        if (error is not null)
        {
            return error;
        }

        field = "selection.tagStatus";
        error = ReadEnum(slots[0]!.Value, TagStatusNames, out var tagStatusIndex);
        if (error is not null)
        {
            return error;
        }

        string[] patterns = [];
        field = "selection.tagPatternList";
        if (slots[1] is { } patternElement && (error = ReadStringList(patternElement, out patterns)) is not null)
        {
            return error;
        }

        string[] prefixes = [];
        field = "selection.tagPrefixList";
        if (slots[2] is { } prefixElement && (error = ReadStringList(prefixElement, out prefixes)) is not null)
        {
            return error;
        }

        var storageClass = StorageClass.Standard;
        field = "selection.storageClass";
        if (slots[3] is { } storageElement)
        {
            error = ReadEnum(storageElement, StorageClassNames, out var storageIndex);
            if (error is not null)
            {
                return error;
            }

            storageClass = StorageClassValues[storageIndex];
        }

        // ECR's schema chooses a branch by countType, so an unknown count type matches no branch.
        field = "selection.countType";
        var countTypeElement = slots[4]!.Value;
        if (countTypeElement.ValueKind != JsonValueKind.String)
        {
            return countTypeElement.ValueKind == JsonValueKind.Null ? NoSchemaMatched : WrongType(TypeName(countTypeElement), "string");
        }

        var countTypeIndex = Array.IndexOf(CountTypeNames, countTypeElement.GetString());
        if (countTypeIndex < 0)
        {
            return NoSchemaMatched;
        }

        var countType = CountTypeValues[countTypeIndex];
        string? countUnit = null;
        field = "selection.countUnit";
        if (slots[5] is { } unitElement)
        {
            error = ReadEnum(unitElement, CountUnitNames, out var unitIndex);
            if (error is not null)
            {
                return error;
            }

            countUnit = CountUnitNames[unitIndex];
        }

        field = "selection.countNumber";
        error = ReadInteger(slots[6]!.Value, 1, out var countNumber);
        if (error is not null)
        {
            return error;
        }

        // The count branch takes no unit; the age branches require "days".
        if ((countType == CountType.ImageCountMoreThan) != (countUnit is null))
        {
            field = "selection.countUnit";
            return NoSchemaMatched;
        }

        selection = new RuleSelection(
            TagStatusValues[tagStatusIndex], patterns, prefixes, storageClass, countType, countNumber, countUnit);
        return null;
    }

    private static string? ReadAction(JsonElement element, out RuleAction? action, ref string field)
    {
        action = null;
        var error = ExpectKind(element, JsonValueKind.Object, "object");
        if (error is not null)
        {
            return error;
        }

        var slots = new JsonElement?[ActionProperties.Length];
        error = ReadObject(element, ActionProperties, ActionRequired, slots);
        if (error is not null)
        {
            return error;
        }

        field = "action.type";
        error = ReadEnum(slots[0]!.Value, ActionTypeNames, out var typeIndex);
        if (error is not null)
        {
            return error;
        }

        StorageClass? target = null;
        field = "action.targetStorageClass";
        if (slots[1] is { } targetElement)
        {
            error = ReadEnum(targetElement, TargetStorageClassNames, out _);
            if (error is not null)
            {
                return error;
            }

            target = StorageClass.Archive;
        }

        action = new RuleAction(ActionTypeValues[typeIndex], target);
        return null;
    }

    /// <summary>
    /// Puts each allowed property's value in its slot (a repeated name keeps the last value, as Jackson does) and
    /// reports missing required properties, then properties the schema does not allow.
    /// </summary>
    private static string? ReadObject(JsonElement element, string[] allowed, string[] required, JsonElement?[] slots)
    {
        List<string>? unknown = null;
        foreach (var property in element.EnumerateObject())
        {
            var index = Array.IndexOf(allowed, property.Name);
            if (index < 0)
            {
                (unknown ??= []).Add(property.Name);
            }
            else
            {
                slots[index] = property.Value;
            }
        }

        List<string>? missing = null;
        foreach (var name in required)
        {
            if (slots[Array.IndexOf(allowed, name)] is null)
            {
                (missing ??= []).Add(name);
            }
        }

        if (missing is not null)
        {
            return MissingRequired(missing);
        }

        return unknown is null ? null : NotAllowed(unknown);
    }

    private static string? ExpectKind(JsonElement element, JsonValueKind kind, string typeName)
    {
        if (element.ValueKind == kind)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Null ? NoSchemaMatched : WrongType(TypeName(element), typeName);
    }

    private static string? ReadInteger(JsonElement element, int minimum, out int value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number || !IsIntegerLiteral(element))
        {
            return element.ValueKind == JsonValueKind.Null ? NoSchemaMatched : WrongType(TypeName(element), "integer");
        }

        if (!element.TryGetInt64(out var number))
        {
            var raw = element.GetRawText();
            return raw.StartsWith('-') ? BelowMinimum(minimum, raw) : AboveMaximum(int.MaxValue, raw);
        }

        if (number < minimum)
        {
            return BelowMinimum(minimum, number.ToString(CultureInfo.InvariantCulture));
        }

        if (number > int.MaxValue)
        {
            return AboveMaximum(int.MaxValue, number.ToString(CultureInfo.InvariantCulture));
        }

        value = (int)number;
        return null;
    }

    private static string? ReadEnum(JsonElement element, string[] names, out int index)
    {
        index = -1;
        var error = ExpectKind(element, JsonValueKind.String, "string");
        if (error is not null)
        {
            return error;
        }

        var text = element.GetString()!;
        index = Array.IndexOf(names, text);
        return index < 0 ? NotInEnum(text, names) : null;
    }

    private static string? ReadStringList(JsonElement element, out string[] list)
    {
        list = [];
        var error = ExpectKind(element, JsonValueKind.Array, "array");
        if (error is not null)
        {
            return error;
        }

        var count = element.GetArrayLength();
        if (count == 0)
        {
            return ArrayTooShort(1, 0);
        }

        var items = new string[count];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            error = ExpectKind(item, JsonValueKind.String, "string");
            if (error is not null)
            {
                return error;
            }

            items[i++] = item.GetString()!;
        }

        list = items;
        return null;
    }
}
