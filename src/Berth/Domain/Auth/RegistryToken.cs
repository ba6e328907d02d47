namespace Berth.Domain.Auth;

/// <summary>What a registry password proves: a principal of an account, in a region, until a time.</summary>
public sealed record RegistryToken(string AccountId, string Region, Principal Principal, DateTimeOffset ExpiresAt);
