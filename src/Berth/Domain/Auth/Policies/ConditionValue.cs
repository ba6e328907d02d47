using System.Net;

namespace Berth.Domain.Auth.Policies;

/// <summary>One policy value of a condition, in the form its operator compares.</summary>
public readonly record struct ConditionValue(string Text, decimal Number, DateTimeOffset Instant, bool Flag, IPNetwork Network);
