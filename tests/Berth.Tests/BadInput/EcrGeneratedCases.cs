using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Tests.BadInput;

/// <summary>
/// Cases derived from <see cref="ModelConstraints"/>: for each member, a wrong JSON type (SerializationException), and
/// for each constraint a value just outside it (InvalidParameterException naming the member), each applied to the
/// operation's valid base request.
/// </summary>
public static class EcrGeneratedCases
{
    private const string Invalid = "InvalidParameterException";
    private const string Serialization = "SerializationException";

    public static IEnumerable<BadInputCase> All()
    {
        foreach (var member in ModelConstraints.All())
        {
            foreach (var (variant, value, type) in Variants(member))
            {
                var fragment = type == Invalid ? InvalidFragment(member, variant) : $"at '{member.Path}'";
                yield return EcrCases.Call(
                    $"{member.Operation}.{member.Path}.{variant}",
                    member.Operation,
                    server => Encoding.UTF8.GetBytes(Mutate(EcrBaseRequests.For(member.Operation, server), member.Path, value).ToJsonString()),
                    new Expected(400, type, fragment));
            }
        }
    }

    /// <summary>
    /// Where the constraint message points: a scalar list element that breaks its own constraints is reported on the
    /// list with all of the element's constraints (<c>'Member must satisfy constraint: [...]'</c>), as AWS does.
    /// </summary>
    private static string InvalidFragment(MemberConstraint member, string variant)
    {
        const string element = ".1.member";
        return member.Path.EndsWith(element, StringComparison.Ordinal) && member.Type != MemberType.Structure && variant != "missing"
            ? $"Invalid parameter at '{member.Path[..^element.Length]}' failed to satisfy constraint: 'Member must satisfy constraint: ["
            : $"Invalid parameter at '{member.Path}'";
    }

    /// <summary>The broken values for one member; a null value means the member is removed.</summary>
    private static IEnumerable<(string Variant, Func<JsonNode?, JsonNode?>? Value, string Type)> Variants(MemberConstraint member)
    {
        if (member.Required)
        {
            yield return ("missing", null, Invalid);
        }

        yield return ("wrong-type", _ => WrongType(member.Type), Serialization);
        var type = member.Type;
        if (member.Min is { } min && min > 0)
        {
            yield return type switch
            {
                MemberType.String => ("too-short", _ => new string('a', (int)min - 1), Invalid),
                MemberType.List => ("too-few", _ => new JsonArray(), Invalid),
                _ => ("below-min", _ => min - 1, Invalid),
            };
        }
        else if (member.Min is 0 && type is MemberType.Integer or MemberType.Long)
        {
            yield return ("below-min", _ => -1, Invalid);
        }

        if (member.Max is { } max)
        {
            yield return type switch
            {
                MemberType.String => ("too-long", _ => new string('a', (int)max + 1), Invalid),
                MemberType.Blob => ("too-large", _ => Convert.ToBase64String(new byte[max + 1]), Invalid),
                MemberType.List => ("too-many", current => Repeat(current, (int)max + 1), Invalid),
                _ => ("above-max", _ => max + 1, Invalid),
            };
        }

        if (member.BadPattern is { } bad)
        {
            yield return ("bad-pattern", _ => bad, Invalid);
        }

        if (member.Enum)
        {
            yield return ("not-in-enum", _ => "NOT_A_MODEL_VALUE", Invalid);
        }
    }

    private static JsonNode WrongType(MemberType type) => type switch
    {
        MemberType.String or MemberType.Blob => 12345,
        MemberType.Integer or MemberType.Long => "12",
        MemberType.Boolean => "true",
        MemberType.List => "not a list",
        _ => new JsonArray("not a structure"),
    };

    private static JsonArray Repeat(JsonNode? current, int count)
    {
        var element = current is JsonArray { Count: > 0 } list ? list[0]! : JsonValue.Create("x");
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(element.DeepClone());
        }

        return array;
    }

    /// <summary>Sets (or removes) the member at an ECR path such as <c>imageIds.1.member.imageTag</c>.</summary>
    private static JsonObject Mutate(JsonObject body, string path, Func<JsonNode?, JsonNode?>? value)
    {
        var segments = path.Split('.');
        JsonNode parent = body;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1 || (i == segments.Length - 2 && segments[i + 1] == "member" && IsIndex(segments[i]));
            if (IsIndex(segments[i]))
            {
                var index = int.Parse(segments[i], CultureInfo.InvariantCulture) - 1;
                var array = parent.AsArray();
                if (last)
                {
                    array[index] = value!(array[index])!;
                    return body;
                }

                parent = array[index]!;
                i++; // the "member" segment
                continue;
            }

            var node = parent.AsObject();
            if (last)
            {
                if (value is null)
                {
                    node.Remove(segments[i]);
                }
                else
                {
                    node[segments[i]] = value(node[segments[i]]);
                }

                return body;
            }

            if (node[segments[i]] is null)
            {
                node[segments[i]] = new JsonObject();
            }

            parent = node[segments[i]]!;
        }

        return body;
    }

    private static bool IsIndex(string segment) => segment.Length > 0 && char.IsAsciiDigit(segment[0]);
}
