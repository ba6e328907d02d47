namespace Berth.Domain.Lifecycle;

/// <summary>
/// Which images a rule considers and which of those it selects. An absent list is empty; <see cref="CountUnit"/>
/// is <c>"days"</c> for the age count types and null for <see cref="CountType.ImageCountMoreThan"/>.
/// </summary>
public sealed record RuleSelection(
    TagStatus TagStatus,
    IReadOnlyList<string> TagPatternList,
    IReadOnlyList<string> TagPrefixList,
    StorageClass StorageClass,
    CountType CountType,
    int CountNumber,
    string? CountUnit);
