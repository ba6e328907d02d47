namespace Berth.Domain;

/// <summary>
/// A stored blob: its digest, its length in bytes, and when its bytes were written. Garbage collection does not use the
/// time: a blob's age is its last push as the metadata store recorded it.
/// </summary>
public readonly record struct BlobInfo(Digest Digest, long Length, DateTimeOffset LastModified);
