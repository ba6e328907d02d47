namespace Berth.Ecr.Model;

/// <summary>One named shape of the ECR model with the constraints the service enforces on it.</summary>
/// <remarks>
/// Shapes refer to each other by name; <see cref="EcrModel.Shapes"/> resolves them. Lengths are
/// code points for strings, entries for lists and maps, and decoded bytes for blobs.
/// </remarks>
public sealed record EcrShape
{
    public required string Name { get; init; }

    public required EcrShapeType Type { get; init; }

    /// <summary>Structure members in model order.</summary>
    public IReadOnlyList<EcrMember> Members { get; init; } = [];

    /// <summary>Element shape of a list.</summary>
    public string? ListMember { get; init; }

    /// <summary>Key shape of a map.</summary>
    public string? MapKey { get; init; }

    /// <summary>Value shape of a map.</summary>
    public string? MapValue { get; init; }

    /// <summary>Minimum length (string, list, map, blob) or value (integer, long).</summary>
    public long? Min { get; init; }

    /// <summary>Maximum length (string, list, map, blob) or value (integer, long).</summary>
    public long? Max { get; init; }

    /// <summary>Regular expression exactly as the model spells it; the whole string must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Allowed string values in model order; empty when the string is free-form.</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>True for error shapes, whose members besides <c>message</c> travel in the error body.</summary>
    public bool IsException { get; init; }

    /// <summary>True for server faults (HTTP 500); false for client errors.</summary>
    public bool IsFault { get; init; }
}

/// <summary>A structure member: its wire name, its shape and whether a request must carry it.</summary>
public readonly record struct EcrMember(string Name, string Shape, bool IsRequired);
