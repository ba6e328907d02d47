using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Berth.Ecr.Model;

/// <summary>Checks and measures JSON string tokens from their raw UTF-8 without materialising a string.</summary>
internal static class JsonText
{
    /// <summary>
    /// True when every string and member name of a well-formed JSON body is valid Unicode. The reader accepts invalid
    /// UTF-8 and lone surrogate escapes inside strings and fails only when one is read, which would otherwise surface
    /// as a server error in whatever binds the string.
    /// </summary>
    public static bool IsValidUnicode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                continue;
            }

            if (!reader.ValueIsEscaped)
            {
                if (!Utf8.IsValid(reader.ValueSpan))
                {
                    return false;
                }

                continue;
            }

            try
            {
                _ = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the escapes in a raw string token (quotes stripped) leave a UTF-16 surrogate unpaired.
    /// The parser accepts such escapes but <c>GetString</c> throws on them, so they are caught here.
    /// </summary>
    public static bool HasUnpairedSurrogate(ReadOnlySpan<byte> raw)
    {
        var pendingHigh = false;
        var i = raw.IndexOf((byte)'\\');
        if (i < 0)
        {
            return false;
        }

        while (i < raw.Length)
        {
            if (raw[i] != '\\')
            {
                if (pendingHigh)
                {
                    return true;
                }

                var next = raw[i..].IndexOf((byte)'\\');
                if (next < 0)
                {
                    return false;
                }

                i += next;
                continue;
            }

            // The parser has already checked escapes, so a \u is always followed by four hex digits.
            if (raw[i + 1] != 'u')
            {
                if (pendingHigh)
                {
                    return true;
                }

                i += 2;
                continue;
            }

            var unit = (char)Hex(raw.Slice(i + 2, 4));
            i += 6;
            if (char.IsHighSurrogate(unit))
            {
                if (pendingHigh)
                {
                    return true;
                }

                pendingHigh = true;
            }
            else if (char.IsLowSurrogate(unit))
            {
                if (!pendingHigh)
                {
                    return true;
                }

                pendingHigh = false;
            }
            else if (pendingHigh)
            {
                return true;
            }
        }

        return pendingHigh;
    }

    /// <summary>Unicode code points in valid UTF-8: every byte that does not continue a sequence starts one.</summary>
    public static int CountCodePoints(ReadOnlySpan<byte> utf8)
    {
        if (Ascii.IsValid(utf8))
        {
            return utf8.Length;
        }

        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Unicode code points in UTF-16 text; a surrogate pair counts once.</summary>
    public static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }

        return value;
    }
}
