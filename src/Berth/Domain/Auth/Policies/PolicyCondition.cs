namespace Berth.Domain.Auth.Policies;

/// <summary>
/// One key under one operator, with the policy's values already parsed for the operator (strings, decimals, instants,
/// booleans or networks), so evaluation never parses policy text.
/// </summary>
public sealed record PolicyCondition(
    ConditionOperator Operator,
    SetQualifier Qualifier,
    bool IfExists,
    ConditionKey Key,
    IReadOnlyList<ConditionValue> Values);
