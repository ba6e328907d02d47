namespace Berth.Domain;

/// <summary>ECR's tag mutability modes, including the exclusion-filter variants.</summary>
public enum TagMutability
{
    Mutable,
    Immutable,
    MutableWithExclusion,
    ImmutableWithExclusion,
}
