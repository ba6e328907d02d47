using System.Buffers;

namespace Berth.Hosting;

/// <summary>
/// Buffers for request and response bodies: small ones come from the shared pool, large ones are plain arrays the
/// collector reclaims. The shared pool keeps every size it is given (up to 1 GiB) per core for the life of the
/// process, so pooling the rare large body let a burst of them pin that much memory for good.
/// </summary>
internal static class RequestBuffers
{
    /// <summary>The largest buffer kept in the pool; the bodies of almost every request fit in it.</summary>
    public const int MaxPooledLength = 1024 * 1024;

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= MaxPooledLength
            ? ArrayPool<byte>.Shared.Rent(minimumLength)
            : GC.AllocateUninitializedArray<byte>(minimumLength);

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
