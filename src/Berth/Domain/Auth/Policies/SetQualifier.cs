namespace Berth.Domain.Auth.Policies;

/// <summary>How a condition treats a key with several values: <c>ForAllValues:</c>, <c>ForAnyValue:</c>, or neither.</summary>
public enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}
