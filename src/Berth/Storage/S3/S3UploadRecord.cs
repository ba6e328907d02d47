using System.Text.Json.Serialization;

namespace Berth.Storage.S3;

/// <summary>
/// Everything a node needs to continue a chunked upload, kept as one small object beside the upload's bytes
/// (<c>uploads/&lt;id&gt;/state</c>). Writing it is what makes an append count: bytes written before a failed append
/// are never named here, so the upload stays as it was.
/// </summary>
/// <param name="Length">Bytes received so far: the parts' and the tail segments' sizes added up.</param>
/// <param name="Modified">When bytes last arrived, by the store's clock (never S3's, which purges do not compare against).</param>
/// <param name="MultipartUploadId">The S3 multipart upload holding the full parts, once the first part was sent.</param>
/// <param name="Parts">The full parts sent so far, in order, numbered from 1.</param>
/// <param name="Tail">Objects holding the bytes after the last full part, in order; together smaller than one part.</param>
/// <param name="Sha256">The running hash of every byte received (<see cref="ResumableSha256.Export"/>).</param>
internal sealed record S3UploadRecord(
    long Length,
    DateTimeOffset Modified,
    string? MultipartUploadId,
    IReadOnlyList<S3UploadPart> Parts,
    IReadOnlyList<S3TailSegment> Tail,
    byte[] Sha256)
{
    /// <summary>The bytes held in tail segments.</summary>
    [JsonIgnore]
    public long TailLength
    {
        get
        {
            long total = 0;
            foreach (var segment in Tail)
            {
                total += segment.Size;
            }

            return total;
        }
    }
}

/// <summary>One full part of a multipart upload, as <c>CompleteMultipartUpload</c> must name it.</summary>
internal sealed record S3UploadPart(int Number, string ETag, long Size);

/// <summary>One object of an upload's tail: the bytes of one append that did not fill a part.</summary>
internal sealed record S3TailSegment(string Key, long Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(S3UploadRecord))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
