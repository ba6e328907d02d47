using System.Globalization;

namespace Berth.Ecr.SigV4;

/// <summary>Parses and formats request times, and checks them against the clock.</summary>
internal static class SigningTime
{
    /// <summary>How far a request time may be from the server's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The longest X-Amz-Expires AWS accepts: one week.</summary>
    public const int MaxPresignedExpirySeconds = 604_800;

    private const string Iso8601Basic = "yyyyMMdd'T'HHmmss'Z'";
    private const string HttpDateWithoutZone = "ddd, dd MMM yyyy HH':'mm':'ss";

    public static bool TryParseIso8601Basic(ReadOnlySpan<char> value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            value,
            Iso8601Basic,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);

    /// <summary>Parses an RFC 1123 / RFC 2822 Date header, e.g. "Wed, 15 Jan 2025 10:30:00 GMT" or botocore's "... -0000".</summary>
    public static bool TryParseHttpDate(ReadOnlySpan<char> value, out DateTimeOffset time)
    {
        value = value.Trim();
        var lastSpace = value.LastIndexOf(' ');
        if (lastSpace > 0)
        {
            var zone = value[(lastSpace + 1)..];
            var offset = TimeSpan.Zero;
            if (zone is "GMT" or "UTC" or "UT" or "Z" || TryParseNumericZone(zone, out offset))
            {
                if (DateTime.TryParseExact(value[..lastSpace], HttpDateWithoutZone, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                {
                    time = new DateTimeOffset(local, offset).ToUniversalTime();
                    return true;
                }
            }
        }

        time = default;
        return false;
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Iso8601Basic, CultureInfo.InvariantCulture);

    /// <summary>Rejects a request time more than five minutes from now, with the messages AWS uses.</summary>
    public static SigV4Outcome? CheckClockSkew(DateTimeOffset requestTime, DateTimeOffset now)
    {
        if (requestTime < now - MaxClockSkew)
        {
            return SigV4Failures.Invalid(
                $"Signature expired: {Format(requestTime)} is now earlier than {Format(now - MaxClockSkew)} ({Format(now)} - 5 min.)");
        }

        if (requestTime > now + MaxClockSkew)
        {
            return SigV4Failures.Invalid(
                $"Signature not yet current: {Format(requestTime)} is still later than {Format(now + MaxClockSkew)} ({Format(now)} + 5 min.)");
        }

        return null;
    }

    /// <summary>Rejects a presigned request used after X-Amz-Expires seconds, or signed more than five minutes ahead.</summary>
    public static SigV4Outcome? CheckPresignedWindow(DateTimeOffset requestTime, int expiresSeconds, DateTimeOffset now)
    {
        var lifetime = TimeSpan.FromSeconds(expiresSeconds);
        if (requestTime < now - lifetime)
        {
            return SigV4Failures.Invalid(
                $"Signature expired: {Format(requestTime)} is now earlier than {Format(now - lifetime)} ({Format(now)} - {expiresSeconds} sec.)");
        }

        if (requestTime > now + MaxClockSkew)
        {
            return SigV4Failures.Invalid(
                $"Signature not yet current: {Format(requestTime)} is still later than {Format(now + MaxClockSkew)} ({Format(now)} + 5 min.)");
        }

        return null;
    }

    private static bool TryParseNumericZone(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = default;
        if (zone.Length != 5 || zone[0] is not ('+' or '-')
            || !int.TryParse(zone[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(zone[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }
}
