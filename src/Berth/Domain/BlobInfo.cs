namespace Berth.Domain;

/// <summary>A stored blob: its digest, its length in bytes, and when it was last committed (the age garbage collection measures).</summary>
public readonly record struct BlobInfo(Digest Digest, long Length, DateTimeOffset LastModified);
