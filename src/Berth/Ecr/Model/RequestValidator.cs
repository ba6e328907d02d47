using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Berth.Ecr.Model;

/// <summary>Checks a request body against its operation's input shape, the way ECR does before any handler runs.</summary>
/// <remarks>
/// <para>
/// Wrong JSON types, undecodable blobs and broken escapes give <c>SerializationException</c>. Constraint
/// violations (required, length, pattern, enum, range) give the operation's
/// <see cref="EcrOperation.ValidationErrorType"/> with ECR's message,
/// <c>Invalid parameter at '&lt;path&gt;' failed to satisfy constraint: '&lt;constraint&gt;'</c>.
/// Unknown members are ignored and a JSON <c>null</c> member counts as absent.
/// </para>
/// <para>
/// Paths use the AWS (Coral) form: member names exactly as the model spells them, joined by <c>.</c>;
/// a list element adds its 1-based index and <c>member</c>, a map entry adds its key. For example
/// <c>repositoryName</c>, <c>imageScanningConfiguration.scanOnPush</c>, <c>tags.1.member.Key</c>,
/// <c>annotations.someKey</c>. A scalar list element that breaks its constraints is reported on the list, the way
/// AWS does: <c>Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must satisfy constraint:
/// [Member must satisfy regular expression pattern: [0-9]{12}]'</c>.
/// </para>
/// <para>
/// Only the first failure is reported. The walk is depth-first in model order: structure members in the
/// order the model declares them; for each value its type, then its length or range, pattern and enum;
/// for a list or map its size before its elements.
/// </para>
/// </remarks>
public sealed class RequestValidator
{
    private const int StackChars = 256;
    private const string NotBase64 = "string is not valid base64";
    private const string NotUtf16 = "string is not valid UTF-16";
    private const string NameNotUtf16 = "a member name is not valid UTF-16";

    private static readonly Lazy<RequestValidator> SharedInstance = new(() => new RequestValidator(EcrModel.Shared));

    private readonly IReadOnlyList<EcrOperation> _operations;
    private readonly ValidationNode?[] _inputsByOrdinal;
    private readonly FrozenDictionary<string, ValidationNode> _nodes;

    /// <summary>Prepares every shape of the model once; the instance is immutable and thread-safe.</summary>
    public RequestValidator(EcrModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _nodes = ValidationNode.BuildAll(model).ToFrozenDictionary(StringComparer.Ordinal);
        _operations = model.Operations;
        _inputsByOrdinal = new ValidationNode?[_operations.Count];
        for (var i = 0; i < _operations.Count; i++)
        {
            _inputsByOrdinal[i] = _operations[i].InputShape is { } input ? _nodes[input] : null;
        }
    }

    /// <summary>A validator over <see cref="EcrModel.Shared"/>.</summary>
    public static RequestValidator Shared => SharedInstance.Value;

    /// <summary>Returns the first violation in <paramref name="body"/>, or null when the request is valid.</summary>
    /// <param name="operation">The operation the request targets.</param>
    /// <param name="body">The parsed body; the caller treats an empty body as <c>{}</c>.</param>
    public ValidationFailure? Validate(EcrOperation operation, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var input = ResolveInput(operation);
        ValidationFault? fault;
        try
        {
            fault = body.ValueKind != JsonValueKind.Object
                ? ValidationFault.WrongType(body.ValueKind, EcrShapeType.Structure)
                : input is null ? null : ValidateStructure(input, body);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json throws while comparing a property name whose escapes leave a surrogate unpaired.
            fault = ValidationFault.InvalidValue(NameNotUtf16);
        }

        return fault?.ToFailure(operation.ValidationErrorType);
    }

    private ValidationNode? ResolveInput(EcrOperation operation)
    {
        var ordinal = operation.Ordinal;
        if ((uint)ordinal < (uint)_inputsByOrdinal.Length && ReferenceEquals(_operations[ordinal], operation))
        {
            return _inputsByOrdinal[ordinal];
        }

        // An operation built outside this model (tests, another table) is resolved by shape name.
        if (operation.InputShape is null)
        {
            return null;
        }

        return _nodes.TryGetValue(operation.InputShape, out var node)
            ? node
            : throw new ArgumentException($"Unknown input shape '{operation.InputShape}'.", nameof(operation));
    }

    private static ValidationFault? ValidateValue(ValidationNode node, JsonElement value)
    {
        var kind = value.ValueKind;
        switch (node.Type)
        {
            case EcrShapeType.Structure when kind == JsonValueKind.Object:
                return ValidateStructure(node, value);
            case EcrShapeType.List when kind == JsonValueKind.Array:
                return ValidateList(node, value);
            case EcrShapeType.Map when kind == JsonValueKind.Object:
                return ValidateMap(node, value);
            case EcrShapeType.String when kind == JsonValueKind.String:
                return ValidateString(node, value);
            case EcrShapeType.Blob when kind == JsonValueKind.String:
                return ValidateBlob(node, value);
            case EcrShapeType.Integer when kind == JsonValueKind.Number && value.TryGetInt32(out var number):
                return CheckBounds(node, number);
            case EcrShapeType.Long when kind == JsonValueKind.Number && value.TryGetInt64(out var number):
                return CheckBounds(node, number);
            case EcrShapeType.Float or EcrShapeType.Double or EcrShapeType.Timestamp when kind == JsonValueKind.Number:
                return null;
            case EcrShapeType.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
                return null;
            default:
                return ValidationFault.WrongType(kind, node.Type);
        }
    }

    private static ValidationFault? ValidateStructure(ValidationNode node, JsonElement value)
    {
        foreach (var member in node.Members)
        {
            if (!value.TryGetProperty(member.Utf8Name, out var child) || child.ValueKind == JsonValueKind.Null)
            {
                if (member.IsRequired)
                {
                    return ValidationFault.Missing().At(member.Name);
                }

                continue;
            }

            if (ValidateValue(member.Shape, child) is { } fault)
            {
                return fault.At(member.Name);
            }
        }

        return null;
    }

    private static ValidationFault? ValidateList(ValidationNode node, JsonElement value)
    {
        if (CheckBounds(node, value.GetArrayLength()) is { } sizeFault)
        {
            return sizeFault;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            index++;
            var fault = item.ValueKind == JsonValueKind.Null ? ValidationFault.Missing() : ValidateValue(node.Element!, item);
            if (fault is null)
            {
                continue;
            }

            // AWS reports a scalar element's violation on the list itself, naming all the element's constraints.
            if (fault.IsConstraint && node.Element!.ElementConstraint is { } whole)
            {
                return ValidationFault.Constraint(whole);
            }

            return fault.At("member").At(index.ToString(CultureInfo.InvariantCulture));
        }

        return null;
    }

    private static ValidationFault? ValidateMap(ValidationNode node, JsonElement value)
    {
        if (node.Min is not null || node.Max is not null)
        {
            var count = 0;
            foreach (var unused in value.EnumerateObject())
            {
                count++;
            }

            if (CheckBounds(node, count) is { } sizeFault)
            {
                return sizeFault;
            }
        }

        foreach (var entry in value.EnumerateObject())
        {
            // Checked before anything reads the key, because reading it would throw.
            if (JsonText.HasUnpairedSurrogate(JsonMarshal.GetRawUtf8PropertyName(entry)))
            {
                return ValidationFault.InvalidValue(NameNotUtf16);
            }

            var fault = ValidateKey(node.Key!, entry)
                ?? (entry.Value.ValueKind == JsonValueKind.Null ? ValidationFault.Missing() : ValidateValue(node.Element!, entry.Value));
            if (fault is not null)
            {
                return fault.At(entry.Name);
            }
        }

        return null;
    }

    private static ValidationFault? ValidateKey(ValidationNode key, JsonProperty entry)
    {
        if (key.ChecksContent && CheckText(key, entry.Name) is { } fault)
        {
            return fault;
        }

        if (key.EnumUtf8 is { } values)
        {
            foreach (var allowed in values)
            {
                if (entry.NameEquals(allowed))
                {
                    return null;
                }
            }

            return ValidationFault.Constraint(key.EnumConstraint!);
        }

        return null;
    }

    private static ValidationFault? ValidateString(ValidationNode node, JsonElement value)
    {
        var raw = Unquoted(value);
        var escaped = raw.Contains((byte)'\\');
        if (escaped && JsonText.HasUnpairedSurrogate(raw))
        {
            return ValidationFault.InvalidValue(NotUtf16);
        }

        if (node.ChecksContent && (escaped ? CheckText(node, value.GetString()) : CheckUtf8(node, raw)) is { } fault)
        {
            return fault;
        }

        if (node.EnumUtf8 is { } values)
        {
            foreach (var allowed in values)
            {
                if (value.ValueEquals(allowed))
                {
                    return null;
                }
            }

            return ValidationFault.Constraint(node.EnumConstraint!);
        }

        return null;
    }

    private static ValidationFault? ValidateBlob(ValidationNode node, JsonElement value)
    {
        // Same acceptance as JsonElement.GetBytesFromBase64, which handlers use to decode the blob.
        var raw = Unquoted(value);
        int decodedLength;
        if (!raw.Contains((byte)'\\'))
        {
            if (!Base64.IsValid(raw, out decodedLength))
            {
                return ValidationFault.InvalidValue(NotBase64);
            }
        }
        else if (JsonText.HasUnpairedSurrogate(raw) || !Base64.IsValid(value.GetString(), out decodedLength))
        {
            return ValidationFault.InvalidValue(NotBase64);
        }

        return CheckBounds(node, decodedLength);
    }

    private static ValidationFault? CheckUtf8(ValidationNode node, ReadOnlySpan<byte> utf8)
    {
        if (CheckBounds(node, JsonText.CountCodePoints(utf8)) is { } fault)
        {
            return fault;
        }

        if (node.Pattern is not { } pattern)
        {
            return null;
        }

        char[]? rented = null;
        var buffer = utf8.Length <= StackChars
            ? stackalloc char[StackChars]
            : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, buffer);
            return pattern.Value.IsMatch(buffer[..length]) ? null : ValidationFault.Constraint(node.PatternConstraint!);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static ValidationFault? CheckText(ValidationNode node, ReadOnlySpan<char> text)
    {
        if (CheckBounds(node, JsonText.CountCodePoints(text)) is { } fault)
        {
            return fault;
        }

        return node.Pattern is { } pattern && !pattern.Value.IsMatch(text)
            ? ValidationFault.Constraint(node.PatternConstraint!)
            : null;
    }

    /// <summary>Length (code points, elements, entries, bytes) or numeric value against the shape's bounds.</summary>
    private static ValidationFault? CheckBounds(ValidationNode node, long value)
    {
        if (node.Min is { } min && value < min)
        {
            return ValidationFault.Constraint(node.MinConstraint!);
        }

        if (node.Max is { } max && value > max)
        {
            return ValidationFault.Constraint(node.MaxConstraint!);
        }

        return null;
    }

    private static ReadOnlySpan<byte> Unquoted(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw[1..^1];
    }
}
