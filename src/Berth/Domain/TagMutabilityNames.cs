namespace Berth.Domain;

/// <summary>ECR's spelling of the tag mutability modes.</summary>
public static class TagMutabilityNames
{
    public static string ToWire(TagMutability mutability) => mutability switch
    {
        TagMutability.Mutable => "MUTABLE",
        TagMutability.Immutable => "IMMUTABLE",
        TagMutability.MutableWithExclusion => "MUTABLE_WITH_EXCLUSION",
        TagMutability.ImmutableWithExclusion => "IMMUTABLE_WITH_EXCLUSION",
        _ => throw new ArgumentOutOfRangeException(nameof(mutability)),
    };

    /// <summary>Parses a value the model validator has already checked against the enum.</summary>
    public static TagMutability FromWire(string value) =>
        TryParse(value, out var mutability) ? mutability : throw new ArgumentOutOfRangeException(nameof(value), value, "not an ECR tag mutability");

    public static bool TryParse(string? value, out TagMutability mutability)
    {
        (var ok, mutability) = value switch
        {
            "MUTABLE" => (true, TagMutability.Mutable),
            "IMMUTABLE" => (true, TagMutability.Immutable),
            "MUTABLE_WITH_EXCLUSION" => (true, TagMutability.MutableWithExclusion),
            "IMMUTABLE_WITH_EXCLUSION" => (true, TagMutability.ImmutableWithExclusion),
            _ => (false, TagMutability.Mutable),
        };
        return ok;
    }

    /// <summary>Checks that exclusion filters come exactly with the *_WITH_EXCLUSION modes.</summary>
    public static DomainError? ValidateFilters(TagMutability mutability, IReadOnlyList<string> filters)
    {
        var needsFilters = mutability is TagMutability.MutableWithExclusion or TagMutability.ImmutableWithExclusion;
        if (needsFilters && filters.Count == 0)
        {
            return DomainError.InvalidParameter(
                "imageTagMutabilityExclusionFilters",
                $"ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as {ToWire(mutability)}");
        }

        if (!needsFilters && filters.Count > 0)
        {
            return DomainError.InvalidParameter(
                "imageTagMutabilityExclusionFilters",
                $"ImageTagMutabilityExclusionFilters can only be set when imageTagMutability is set as MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION, not {ToWire(mutability)}");
        }

        return null;
    }
}
