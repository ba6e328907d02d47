using System.Globalization;

namespace Berth.Oci;

/// <summary>Parses one HTTP byte range (RFC 9110): <c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>.</summary>
public static class ByteRange
{
    /// <summary>
    /// False when the header is not a single byte range (then it is ignored and the whole blob served);
    /// true with <paramref name="satisfiable"/> saying whether it fits a blob of <paramref name="size"/> bytes.
    /// </summary>
    public static bool TryParse(string header, long size, out long first, out long last, out bool satisfiable)
    {
        first = last = 0;
        satisfiable = false;
        const string unit = "bytes=";
        if (!header.StartsWith(unit, StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header.AsSpan(unit.Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var startText = spec[..dash].Trim();
        var endText = spec[(dash + 1)..].Trim();
        if (startText.IsEmpty)
        {
            // Suffix range: the last n bytes.
            if (!long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return false;
            }

            satisfiable = suffix > 0 && size > 0;
            first = Math.Max(0, size - suffix);
            last = size - 1;
            return true;
        }

        if (!long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        if (endText.IsEmpty)
        {
            last = size - 1;
        }
        else if (!long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)
        {
            return false;
        }

        satisfiable = first < size;
        last = Math.Min(last, size - 1);
        return true;
    }
}
