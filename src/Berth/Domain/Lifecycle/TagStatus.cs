namespace Berth.Domain.Lifecycle;

/// <summary>Which images a rule's tag selection considers: tagged ones matching a list, untagged ones, or all.</summary>
public enum TagStatus
{
    Tagged,
    Untagged,
    Any,
}
