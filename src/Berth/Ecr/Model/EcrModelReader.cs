using System.Collections.Frozen;
using System.Text.Json;

namespace Berth.Ecr.Model;

/// <summary>Turns the generated JSON table into <see cref="EcrModel"/> objects and checks its references.</summary>
internal static class EcrModelReader
{
    public static EcrModel Read(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            var root = document.RootElement;
            var metadata = root.GetProperty("metadata");

            var shapes = new Dictionary<string, EcrShape>(StringComparer.Ordinal);
            foreach (var property in root.GetProperty("shapes").EnumerateObject())
            {
                shapes.Add(property.Name, ReadShape(property.Name, property.Value));
            }

            var operations = new List<EcrOperation>();
            foreach (var element in root.GetProperty("operations").EnumerateArray())
            {
                operations.Add(ReadOperation(element, operations.Count));
            }

            CheckReferences(operations, shapes);
            return new EcrModel(
                RequiredString(metadata, "botocoreVersion"),
                RequiredString(metadata, "apiVersion"),
                RequiredString(metadata, "targetPrefix"),
                operations,
                shapes);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"The ECR model table is malformed: {e.Message}", e);
        }
    }

    private static EcrOperation ReadOperation(JsonElement json, int ordinal)
    {
        var name = RequiredString(json, "name");
        var errors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in json.GetProperty("errors").EnumerateArray())
        {
            errors.Add(error.GetString()!);
        }

        var output = OptionalString(json, "output")
            ?? throw new InvalidDataException($"Operation {name} has no output shape.");
        return new EcrOperation(name, OptionalString(json, "input"), output, errors.ToFrozenSet(StringComparer.Ordinal))
        {
            Ordinal = ordinal,
        };
    }

    private static EcrShape ReadShape(string name, JsonElement json)
    {
        var type = ParseType(name, RequiredString(json, "type"));
        var members = new List<EcrMember>();
        if (json.TryGetProperty("members", out var membersJson))
        {
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (json.TryGetProperty("required", out var requiredJson))
            {
                foreach (var entry in requiredJson.EnumerateArray())
                {
                    required.Add(entry.GetString()!);
                }
            }

            foreach (var member in membersJson.EnumerateObject())
            {
                members.Add(new EcrMember(member.Name, member.Value.GetString()!, required.Contains(member.Name)));
            }
        }

        var enumValues = new List<string>();
        if (json.TryGetProperty("enum", out var enumJson))
        {
            foreach (var value in enumJson.EnumerateArray())
            {
                enumValues.Add(value.GetString()!);
            }
        }

        return new EcrShape
        {
            Name = name,
            Type = type,
            Members = members,
            ListMember = OptionalString(json, "member"),
            MapKey = OptionalString(json, "key"),
            MapValue = OptionalString(json, "value"),
            Min = OptionalInt64(json, "min"),
            Max = OptionalInt64(json, "max"),
            Pattern = OptionalString(json, "pattern"),
            EnumValues = enumValues,
            IsException = json.TryGetProperty("exception", out var exception) && exception.GetBoolean(),
            IsFault = json.TryGetProperty("fault", out var fault) && fault.GetBoolean(),
        };
    }

    private static EcrShapeType ParseType(string shape, string type) => type switch
    {
        "structure" => EcrShapeType.Structure,
        "list" => EcrShapeType.List,
        "map" => EcrShapeType.Map,
        "string" => EcrShapeType.String,
        "integer" => EcrShapeType.Integer,
        "long" => EcrShapeType.Long,
        "float" => EcrShapeType.Float,
        "double" => EcrShapeType.Double,
        "boolean" => EcrShapeType.Boolean,
        "timestamp" => EcrShapeType.Timestamp,
        "blob" => EcrShapeType.Blob,
        _ => throw new InvalidDataException($"Shape {shape} has unknown type '{type}'."),
    };

    private static void CheckReferences(List<EcrOperation> operations, Dictionary<string, EcrShape> shapes)
    {
        foreach (var operation in operations)
        {
            Require(shapes, operation.InputShape, operation.Name);
            Require(shapes, operation.OutputShape, operation.Name);
            foreach (var error in operation.ErrorShapes)
            {
                Require(shapes, error, operation.Name);
            }
        }

        foreach (var shape in shapes.Values)
        {
            foreach (var member in shape.Members)
            {
                Require(shapes, member.Shape, shape.Name);
            }

            Require(shapes, shape.ListMember, shape.Name);
            Require(shapes, shape.MapKey, shape.Name);
            Require(shapes, shape.MapValue, shape.Name);
            var needs = shape.Type switch
            {
                EcrShapeType.List => shape.ListMember is null ? "a member shape" : null,
                EcrShapeType.Map => shape.MapKey is null || shape.MapValue is null ? "key and value shapes" : null,
                _ => null,
            };
            if (needs is not null)
            {
                throw new InvalidDataException($"Shape {shape.Name} lacks {needs}.");
            }
        }
    }

    private static void Require(Dictionary<string, EcrShape> shapes, string? name, string referrer)
    {
        if (name is not null && !shapes.ContainsKey(name))
        {
            throw new InvalidDataException($"{referrer} refers to unknown shape '{name}'.");
        }
    }

    private static string RequiredString(JsonElement json, string property) =>
        json.GetProperty(property).GetString()
            ?? throw new InvalidDataException($"Property '{property}' must not be null.");

    private static string? OptionalString(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static long? OptionalInt64(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) ? value.GetInt64() : null;
}
