using System.Net;
using System.Security.Cryptography;

namespace Berth.Bench.Http;

/// <summary>
/// A request body of pseudo-random bytes generated chunk by chunk from a seed, so a 1 GiB push needs no 1 GiB
/// buffer in the harness; the same seed always gives the same bytes (and digest).
/// </summary>
public sealed class GeneratedContent(long size, int seed) : HttpContent
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>The digest of the bytes this content sends, computed by generating them once.</summary>
    public static string Digest(long length, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var chunk in Chunks(length, seed))
        {
            hash.AppendData(chunk.Span);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        foreach (var chunk in Chunks(size, seed))
        {
            await stream.WriteAsync(chunk);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = size;
        return true;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(long length, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[ChunkSize];
        for (long sent = 0; sent < length; sent += ChunkSize)
        {
            var count = (int)Math.Min(ChunkSize, length - sent);
            random.NextBytes(buffer.AsSpan(0, count));
            yield return buffer.AsMemory(0, count);
        }
    }
}
