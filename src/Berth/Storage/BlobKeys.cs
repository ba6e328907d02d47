using Berth.Domain;

namespace Berth.Storage;

/// <summary>
/// The only place blob and upload keys are built. Keys are relative, '/'-separated, and made solely of validated parts
/// (a digest's algorithm name and lowercase hex, an upload id in canonical UUID form), so none can escape its root.
/// </summary>
/// <remarks>
/// Layout (see docs/storage-layout.md): <c>blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;</c> for blobs,
/// <c>uploads/&lt;upload id&gt;</c> for chunked uploads and <c>staging/&lt;id&gt;</c> for one-shot puts in flight.
/// The two-character fan-out keeps the first level to 256 directories and each of them to about n/256 blobs.
/// </remarks>
public static class BlobKeys
{
    public const string BlobsPrefix = "blobs";
    public const string UploadsPrefix = "uploads";
    public const string StagingPrefix = "staging";

    /// <summary>The digest algorithms blobs may be stored under, one directory each.</summary>
    public static IReadOnlyList<DigestAlgorithm> Algorithms { get; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Sha512];

    /// <summary><c>blobs/sha256</c>: the directory holding every fan-out directory of one algorithm.</summary>
    public static string AlgorithmDirectory(DigestAlgorithm algorithm) =>
        string.Concat(BlobsPrefix, "/", Digest.AlgorithmName(algorithm));

    /// <summary><c>blobs/sha256/ab/abcdef…</c></summary>
    public static string Blob(Digest digest)
    {
        ThrowIfEmpty(digest);
        var directory = AlgorithmDirectory(digest.Algorithm);
        var length = directory.Length + 4 + digest.Hex.Length;
        return string.Create(length, (directory, digest), static (key, state) =>
        {
            var (directory, digest) = state;
            var hex = digest.Hex;
            directory.CopyTo(key);
            key = key[directory.Length..];
            key[0] = '/';
            hex[..2].CopyTo(key[1..]);
            key[3] = '/';
            hex.CopyTo(key[4..]);
        });
    }

    /// <summary><c>uploads/0190c3e2-…</c>, the upload id in lowercase "D" format.</summary>
    public static string Upload(Guid uploadId) => string.Concat(UploadsPrefix, "/", uploadId.ToString("D"));

    /// <summary><c>staging/0190c3e2-…</c>: where a one-shot put streams its bytes before they are verified.</summary>
    public static string Staging(Guid stagingId) => string.Concat(StagingPrefix, "/", stagingId.ToString("D"));

    /// <summary>Parses the last segment of an upload or staging key; only the canonical form the store writes is accepted.</summary>
    public static bool TryParseUploadName(ReadOnlySpan<char> name, out Guid uploadId) =>
        Guid.TryParseExact(name, "D", out uploadId) && !name.ContainsAnyInRange('A', 'Z');

    private static void ThrowIfEmpty(Digest digest)
    {
        if (digest.IsEmpty)
        {
            throw new ArgumentException("default(Digest) names no blob.", nameof(digest));
        }
    }
}
