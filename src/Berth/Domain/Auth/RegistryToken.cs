namespace Berth.Domain.Auth;

/// <summary>
/// What a registry password proves: a principal of an account, in a region, until a time, and the access key that
/// asked for it (null when none did), which must still be active for the token to work.
/// </summary>
public sealed record RegistryToken(string AccountId, string Region, Principal Principal, DateTimeOffset ExpiresAt, string? AccessKeyId = null);
