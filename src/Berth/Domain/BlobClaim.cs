namespace Berth.Domain;

/// <summary>
/// A push's claim on a blob record. <see cref="Generation"/> names the record claimed, so a record the collector removed
/// and a later push recreated is never taken for the one claimed.
/// </summary>
public readonly record struct BlobClaim(long Generation);
