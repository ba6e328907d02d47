using System.Globalization;

namespace Berth.Hosting;

/// <summary>Parses durations such as <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c> or <c>01:30:00</c>.</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = text[^1];
        if (char.IsAsciiLetter(unit)
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= 0)
        {
            TimeSpan? parsed = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                'd' => TimeSpan.FromDays(value),
                _ => null,
            };
            duration = parsed ?? default;
            return parsed is not null;
        }

        // A bare number would read as days ("60" is 60 days), which nobody who typed it meant: a unit is required.
        if (!text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
