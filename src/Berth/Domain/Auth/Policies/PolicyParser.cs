using System.Text.Json;
using static Berth.Domain.Auth.Policies.PolicyMessages;

namespace Berth.Domain.Auth.Policies;

/// <summary>
/// Reads IAM policy JSON into a <see cref="PolicyDocument"/>, refusing anything Berth would not evaluate exactly:
/// unknown elements, operators and keys are errors, never ignored. The first failure found is reported.
/// </summary>
public static class PolicyParser
{
    /// <summary>Longest repository or registry policy text the service model accepts.</summary>
    public const int MaxTextLength = 10_240;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    private static readonly string[] DocumentElements = ["Version", "Id", "Statement"];

    private static readonly string[] StatementElements =
        ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    /// <summary>Parses and validates policy text for where it is attached; never throws for bad input.</summary>
    public static PolicyParseResult Parse(string text, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
        {
            return PolicyParseResult.Failure(kind, TooLong(MaxTextLength));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException)
        {
            return PolicyParseResult.Failure(kind, NotJson);
        }

        using (document)
        {
            try
            {
                var error = ReadDocument(document.RootElement, kind, out var policy);
                return error is null ? PolicyParseResult.Success(policy!) : PolicyParseResult.Failure(kind, error);
            }
            catch (InvalidOperationException)
            {
                // GetString refuses escapes that leave a UTF-16 surrogate unpaired.
                return PolicyParseResult.Failure(kind, NotJson);
            }
        }
    }

    private static string? ReadDocument(JsonElement root, PolicyKind kind, out PolicyDocument? policy)
    {
        policy = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return NotObject;
        }

        var error = Slots(root, DocumentElements, "", out var slots);
        if (error is not null)
        {
            return error;
        }

        var version = PolicyDocument.Version2008;
        if (slots[0] is { } versionElement)
        {
            version = versionElement.ValueKind == JsonValueKind.String ? versionElement.GetString()! : "";
            if (version is not (PolicyDocument.Version2012 or PolicyDocument.Version2008))
            {
                return BadVersion;
            }
        }

        if (slots[1] is { ValueKind: not JsonValueKind.String })
        {
            return BadId;
        }

        if (slots[2] is not { } statementElement)
        {
            return MissingStatement;
        }

        var statementElements = new List<JsonElement>();
        if (statementElement.ValueKind == JsonValueKind.Object)
        {
            statementElements.Add(statementElement);
        }
        else if (statementElement.ValueKind == JsonValueKind.Array && statementElement.GetArrayLength() > 0)
        {
            foreach (var item in statementElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return BadStatement;
                }

                statementElements.Add(item);
            }
        }
        else
        {
            return BadStatement;
        }

        var variables = version == PolicyDocument.Version2012;
        var statements = new List<PolicyStatement>(statementElements.Count);
        for (var i = 0; i < statementElements.Count; i++)
        {
            error = ReadStatement(statementElements[i], kind, variables, $"Statement[{i}]: ", out var statement);
            if (error is not null)
            {
                return error;
            }

            statements.Add(statement!);
        }

        policy = new PolicyDocument(kind, version, statements);
        return null;
    }

    private static string? ReadStatement(JsonElement element, PolicyKind kind, bool variables, string where, out PolicyStatement? statement)
    {
        statement = null;
        var error = Slots(element, StatementElements, where, out var slots);
        if (error is not null)
        {
            return error;
        }

        var (sid, effect, principal, notPrincipal, action, notAction, resource, notResource, condition) =
            (slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6], slots[7], slots[8]);
        if (sid is { ValueKind: not JsonValueKind.String })
        {
            return BadSid(where);
        }

        if (effect is not { } effectElement)
        {
            return MissingEffect(where);
        }

        PolicyEffect? parsedEffect = effectElement.ValueKind != JsonValueKind.String ? null : effectElement.GetString() switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            _ => null,
        };
        if (parsedEffect is not { } statementEffect)
        {
            return BadEffect(where);
        }

        // Principals.
        PrincipalSet? principals = null;
        if (principal is not null && notPrincipal is not null)
        {
            return Both(where, "Principal");
        }

        if (kind == PolicyKind.Identity)
        {
            if (principal is not null || notPrincipal is not null)
            {
                return PrincipalInIdentityPolicy(where);
            }
        }
        else if ((principal ?? notPrincipal) is not { } principalElement)
        {
            return MissingPrincipal(where);
        }
        else
        {
            error = PrincipalReader.Read(principalElement, where, out principals);
            if (error is not null)
            {
                return error;
            }
        }

        // Actions.
        if (action is not null && notAction is not null)
        {
            return Both(where, "Action");
        }

        if ((action ?? notAction) is not { } actionElement)
        {
            return MissingAction(where);
        }

        var actionName = action is null ? "NotAction" : "Action";
        error = ReadStrings(actionElement, where, actionName, out var actionList);
        if (error is not null)
        {
            return error;
        }

        var actions = actionList!;
        foreach (var item in actions)
        {
            if (!IsAction(item))
            {
                return BadAction(where, item);
            }
        }

        // Resources: implied by the policy's attachment when a resource policy leaves them out.
        if (resource is not null && notResource is not null)
        {
            return Both(where, "Resource");
        }

        IReadOnlyList<string>? resources = null;
        if ((resource ?? notResource) is { } resourceElement)
        {
            error = ReadStrings(resourceElement, where, resource is null ? "NotResource" : "Resource", out var list);
            if (error is not null)
            {
                return error;
            }

            foreach (var item in list!)
            {
                if (item != "*" && !ConditionValues.IsArnPattern(item))
                {
                    return BadResource(where, item);
                }

                if (variables && item.Contains("${", StringComparison.Ordinal))
                {
                    return PolicyVariable(where, item);
                }
            }

            resources = list;
        }
        else if (kind == PolicyKind.Identity)
        {
            return MissingResource(where);
        }

        // Conditions.
        IReadOnlyList<PolicyCondition> conditions = [];
        if (condition is { } conditionElement)
        {
            error = ConditionReader.Read(conditionElement, where, variables, out var parsed);
            if (error is not null)
            {
                return error;
            }

            conditions = parsed!;
        }

        statement = new PolicyStatement(
            sid?.GetString(), statementEffect, principals, notPrincipal is not null, actions, notAction is not null,
            resources, notResource is not null, conditions);
        return null;
    }

    /// <summary><c>*</c>, or a service prefix and an action name that may hold wildcards (<c>ecr:Describe*</c>).</summary>
    private static bool IsAction(string action)
    {
        if (action == "*")
        {
            return true;
        }

        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == action.Length - 1)
        {
            return false;
        }

        for (var i = 0; i < action.Length; i++)
        {
            var c = action[i];
            var ok = i < colon ? char.IsAsciiLetterOrDigit(c) || c == '-' : i == colon || char.IsAsciiLetterOrDigit(c) || c is '*' or '?' or '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a string or a non-empty array of strings.</summary>
    internal static string? ReadStrings(JsonElement element, string where, string name, out IReadOnlyList<string>? values)
    {
        values = null;
        if (element.ValueKind == JsonValueKind.String)
        {
            values = [element.GetString()!];
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            return NotStrings(where, name);
        }

        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return NotStrings(where, name);
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return null;
    }

    /// <summary>Places an object's properties into slots by name, refusing unknown and repeated names.</summary>
    private static string? Slots(JsonElement element, string[] names, string where, out JsonElement?[] slots)
    {
        slots = new JsonElement?[names.Length];
        foreach (var property in element.EnumerateObject())
        {
            var index = Array.IndexOf(names, property.Name);
            if (index < 0)
            {
                return UnknownElement(where, property.Name);
            }

            if (slots[index] is not null)
            {
                return DuplicateElement(where, property.Name);
            }

            slots[index] = property.Value;
        }

        return null;
    }
}
