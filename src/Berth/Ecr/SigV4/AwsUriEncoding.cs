using System.Text;

namespace Berth.Ecr.SigV4;

/// <summary>The RFC 3986 percent-encoding SigV4 applies to canonical paths and query parameters.</summary>
internal static class AwsUriEncoding
{
    private static ReadOnlySpan<byte> UpperHexDigits => "0123456789ABCDEF"u8;

    public static bool IsUnreserved(int c) =>
        (uint)(c - 'A') <= 'Z' - 'A'
        || (uint)(c - 'a') <= 'z' - 'a'
        || (uint)(c - '0') <= 9
        || c is '-' or '.' or '_' or '~';

    /// <summary>Encodes every UTF-8 byte of <paramref name="text"/> except unreserved characters, including '%'.</summary>
    public static void AppendEncoded(ref Utf8Builder builder, scoped ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length;)
        {
            i += AppendEncodedChar(ref builder, text[i..]);
        }
    }

    /// <summary>
    /// Decodes the percent-escapes of a raw query key or value and encodes the result again, so that
    /// every client's spelling of the same parameter yields one canonical form. '+' stays a literal plus.
    /// </summary>
    public static void AppendReencoded(ref Utf8Builder builder, scoped ReadOnlySpan<char> raw)
    {
        for (var i = 0; i < raw.Length;)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && TryDecodeHex(raw[i + 1], raw[i + 2], out var decoded))
            {
                AppendByte(ref builder, decoded);
                i += 3;
            }
            else
            {
                i += AppendEncodedChar(ref builder, raw[i..]);
            }
        }
    }

    private static int AppendEncodedChar(ref Utf8Builder builder, scoped ReadOnlySpan<char> text)
    {
        var c = text[0];
        if (c < 0x80)
        {
            AppendByte(ref builder, (byte)c);
            return 1;
        }

        Rune.DecodeFromUtf16(text, out var rune, out var consumed);
        Span<byte> utf8 = stackalloc byte[4];
        var length = rune.EncodeToUtf8(utf8);
        foreach (var b in utf8[..length])
        {
            AppendPercent(ref builder, b);
        }

        return consumed;
    }

    private static void AppendByte(ref Utf8Builder builder, byte value)
    {
        if (IsUnreserved(value))
        {
            builder.Append(value);
        }
        else
        {
            AppendPercent(ref builder, value);
        }
    }

    private static void AppendPercent(ref Utf8Builder builder, byte value)
    {
        builder.Append((byte)'%');
        builder.Append(UpperHexDigits[value >> 4]);
        builder.Append(UpperHexDigits[value & 0xF]);
    }

    private static bool TryDecodeHex(char high, char low, out byte value)
    {
        var h = HexValue(high);
        var l = HexValue(low);
        value = (byte)((h << 4) | l);
        return (h | l) >= 0;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
