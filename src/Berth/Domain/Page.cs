namespace Berth.Domain;

/// <summary>One page of a keyset-paginated listing; <see cref="NextKey"/> is the last key returned when more remain.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextKey);
