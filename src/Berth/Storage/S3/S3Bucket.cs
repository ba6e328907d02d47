using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Berth.Storage.S3;

/// <summary>
/// The bucket and key prefix a store works in, and the few S3 calls it makes, with "not found" as a result rather than
/// an exception. Keys given to it are relative (built by <see cref="BlobKeys"/>); the prefix is added here only.
/// </summary>
/// <remarks>Every store of a process shares one publish gate (<see cref="S3PublishGate.Process"/>); tests that
/// simulate several nodes in one process give each its own.</remarks>
internal sealed class S3Bucket(IAmazonS3 client, string bucket, string prefix, S3PublishGate? gate = null)
{
    /// <summary>S3's limit for one CopyObject call; larger objects are copied part by part.</summary>
    public const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's limit on the parts of one multipart upload.</summary>
    public const int MaxParts = 10_000;

    private const string CommittedMetadata = "committed";
    private const long CopyPartSize = 512L * 1024 * 1024;

    public IAmazonS3 Client => client;

    public string Name => bucket;

    private readonly S3PublishGate _gate = gate ?? S3PublishGate.Process;

    /// <summary>The full key of a relative one.</summary>
    public string Key(string relative) => prefix + relative;

    /// <summary>Metadata recording when a blob was committed, by the store's clock.</summary>
    public static Dictionary<string, string> CommittedAt(DateTimeOffset time) =>
        new() { [CommittedMetadata] = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>When an object was committed: the store's own record when present, else S3's last-modified time.</summary>
    public static DateTimeOffset CommittedTime(GetObjectMetadataResponse head)
    {
        var recorded = head.Metadata[CommittedMetadata];
        return recorded is not null && DateTimeOffset.TryParse(recorded, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : new DateTimeOffset(DateTime.SpecifyKind(head.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc));
    }

    /// <summary>
    /// Writes a blob's object with <paramref name="write"/> unless it is stored already. Within this node, concurrent
    /// publishes of one key take turns (the first writes, the rest find it); a write that fails while another node
    /// writes the same key (some S3-compatible servers refuse concurrent writes of one key) counts as done when the
    /// object is then there, since every publish writes the same verified bytes.
    /// </summary>
    public ValueTask PublishAsync(string relative, Func<ValueTask> write, CancellationToken cancellationToken) =>
        _gate.RunAsync(bucket, Key(relative), async () =>
        {
            if (await HeadAsync(relative, cancellationToken) is not null)
            {
                return;
            }

            try
            {
                await write();
            }
            catch (AmazonS3Exception)
            {
                if (await HeadAsync(relative, cancellationToken) is null)
                {
                    throw;
                }
            }
        }, cancellationToken);

    public async ValueTask<GetObjectMetadataResponse?> HeadAsync(string relative, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = Key(relative) }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Opens a byte range (inclusive) of an object, or null when it is not there.</summary>
    public async ValueTask<GetObjectResponse?> GetAsync(string relative, long first, long last, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = Key(relative),
                ByteRange = new ByteRange(first, last),
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The whole of a small object, with its ETag, or null when it is not there.</summary>
    public async ValueTask<(byte[] Content, string ETag)?> GetSmallAsync(string relative, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key(relative) }, cancellationToken);
            var content = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
            return (content, response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Reads a whole object into <paramref name="destination"/>, which must be exactly its length.</summary>
    public async ValueTask ReadIntoAsync(string relative, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key(relative) }, cancellationToken);
        if (response.ContentLength != destination.Length)
        {
            throw new InvalidDataException($"Object {Key(relative)} holds {response.ContentLength} bytes, not the {destination.Length} recorded.");
        }

        await response.ResponseStream.ReadExactlyAsync(destination, cancellationToken);
    }

    /// <summary>
    /// Writes an object in one request from bytes in memory; with <paramref name="ifMatch"/>, only over the object of
    /// that ETag (a server that ignores conditional writes writes regardless).
    /// </summary>
    /// <returns>False when the condition did not hold.</returns>
    public async ValueTask<bool> PutAsync(string relative, ReadOnlyMemory<byte> content, Dictionary<string, string>? metadata, CancellationToken cancellationToken, string? ifMatch = null) =>
        await PutTaggedAsync(relative, content, metadata, ifMatch, cancellationToken) is not null;

    /// <summary>As <see cref="PutAsync"/>, answering the new object's ETag, or null when the condition did not hold.</summary>
    public async ValueTask<string?> PutTaggedAsync(string relative, ReadOnlyMemory<byte> content, Dictionary<string, string>? metadata, string? ifMatch, CancellationToken cancellationToken)
    {
        using var stream = AsStream(content);
        var request = new PutObjectRequest { BucketName = bucket, Key = Key(relative), InputStream = stream, AutoCloseStream = false, IfMatch = ifMatch };
        AddMetadata(request.Metadata, metadata);
        try
        {
            return (await client.PutObjectAsync(request, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (ifMatch is not null && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask<string> StartMultipartAsync(string relative, Dictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = bucket, Key = Key(relative) };
        AddMetadata(request.Metadata, metadata);
        var response = await client.InitiateMultipartUploadAsync(request, cancellationToken);
        return response.UploadId;
    }

    public async ValueTask<S3UploadPart> UploadPartAsync(string relative, string uploadId, int number, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var stream = AsStream(content);
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = Key(relative),
            UploadId = uploadId,
            PartNumber = number,
            InputStream = stream,
            PartSize = content.Length,
        }, cancellationToken);
        return new S3UploadPart(number, response.ETag, content.Length);
    }

    public async ValueTask CompleteMultipartAsync(string relative, string uploadId, IReadOnlyList<S3UploadPart> parts, CancellationToken cancellationToken)
    {
        var request = new CompleteMultipartUploadRequest { BucketName = bucket, Key = Key(relative), UploadId = uploadId, PartETags = [] };
        foreach (var part in parts)
        {
            request.PartETags.Add(new PartETag(part.Number, part.ETag));
        }

        await client.CompleteMultipartUploadAsync(request, cancellationToken);
    }

    /// <summary>Abandons a multipart upload and its parts; one already gone is not an error.</summary>
    public async ValueTask AbortMultipartAsync(string fullKey, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = fullKey, UploadId = uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Copies an object within the bucket, server side, giving the copy new metadata.</summary>
    public async ValueTask CopyAsync(string fromRelative, string toRelative, long length, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (length <= MaxSingleCopy)
        {
            var request = new CopyObjectRequest
            {
                SourceBucket = bucket,
                SourceKey = Key(fromRelative),
                DestinationBucket = bucket,
                DestinationKey = Key(toRelative),
                MetadataDirective = S3MetadataDirective.REPLACE,
            };
            AddMetadata(request.Metadata, metadata);
            await client.CopyObjectAsync(request, cancellationToken);
            return;
        }

        // Past 5 GiB S3 copies only part by part, into a multipart upload at the destination.
        var uploadId = await StartMultipartAsync(toRelative, metadata, cancellationToken);
        try
        {
            var parts = new List<S3UploadPart>();
            for (long first = 0; first < length; first += CopyPartSize)
            {
                var last = Math.Min(first + CopyPartSize, length) - 1;
                var response = await client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = bucket,
                    SourceKey = Key(fromRelative),
                    DestinationBucket = bucket,
                    DestinationKey = Key(toRelative),
                    UploadId = uploadId,
                    PartNumber = parts.Count + 1,
                    FirstByte = first,
                    LastByte = last,
                }, cancellationToken);
                parts.Add(new S3UploadPart(parts.Count + 1, response.ETag, last - first + 1));
            }

            await CompleteMultipartAsync(toRelative, uploadId, parts, cancellationToken);
        }
        catch
        {
            await AbortMultipartAsync(Key(toRelative), uploadId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Deletes one object; false when it was not there.</summary>
    public async ValueTask<bool> DeleteAsync(string relative, CancellationToken cancellationToken)
    {
        if (await HeadAsync(relative, cancellationToken) is null)
        {
            return false;
        }

        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = Key(relative) }, cancellationToken);
        return true;
    }

    /// <summary>Deletes objects by full key, up to S3's 1,000 a request.</summary>
    public async ValueTask DeleteKeysAsync(IReadOnlyList<string> fullKeys, CancellationToken cancellationToken)
    {
        for (var start = 0; start < fullKeys.Count; start += 1000)
        {
            var request = new DeleteObjectsRequest { BucketName = bucket, Objects = [] };
            for (var i = start; i < Math.Min(start + 1000, fullKeys.Count); i++)
            {
                request.Objects.Add(new KeyVersion { Key = fullKeys[i] });
            }

            await client.DeleteObjectsAsync(request, cancellationToken);
        }
    }

    /// <summary>Every object under a relative prefix, with keys made relative again.</summary>
    public async IAsyncEnumerable<S3Object> ListAsync(string relativePrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = Key(relativePrefix) };
        while (true)
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                item.Key = item.Key[prefix.Length..];
                yield return item;
            }

            if (page.IsTruncated != true || page.NextContinuationToken is null)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Multipart uploads in progress under the store's prefix, with full keys.</summary>
    public async IAsyncEnumerable<MultipartUpload> ListMultipartAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var page = await client.ListMultipartUploadsAsync(request, cancellationToken);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                yield return upload;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    /// <summary>The relative form of a full key from a listing of multipart uploads, or null when outside the prefix.</summary>
    public string? Relative(string fullKey) =>
        fullKey.StartsWith(prefix, StringComparison.Ordinal) ? fullKey[prefix.Length..] : null;

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static void AddMetadata(MetadataCollection target, Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (name, value) in metadata)
        {
            target.Add(name, value);
        }
    }
}
