namespace Berth.Domain;

/// <summary>An upload in progress in the blob store: bytes received so far and when bytes last arrived.</summary>
public readonly record struct UploadInfo(Guid UploadId, long Length, DateTimeOffset LastModified);
