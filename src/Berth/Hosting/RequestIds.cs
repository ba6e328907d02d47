namespace Berth.Hosting;

/// <summary>The x-amzn-RequestId of each response: a random (version 4) UUID, as AWS sends.</summary>
internal static class RequestIds
{
    /// <remarks>
    /// An id only has to be unique, not secret, so it comes from the process's fast generator instead of
    /// <see cref="Guid.NewGuid"/>, which asks the kernel for entropy on every request.
    /// </remarks>
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (the high nibble of the third group, little-endian)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
