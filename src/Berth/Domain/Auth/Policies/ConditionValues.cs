using System.Globalization;
using System.Net;

namespace Berth.Domain.Auth.Policies;

/// <summary>Reads a policy's condition value into the form its operator compares; null when the text does not fit.</summary>
public static class ConditionValues
{
    /// <summary>IAM dates: ISO 8601 (date, or date and time with a zone; no zone means UTC) or whole epoch seconds.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        if (text.Length > 0 && text.Length <= 12 && IsDigits(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant)
            && text.Length >= 10 && text[4] == '-';
    }

    public static ConditionValue? Read(ConditionOperator op, string text) => op switch
    {
        ConditionOperator.Bool or ConditionOperator.Null => bool.TryParse(text, out var flag) ? new ConditionValue(text, 0, default, flag, default) : null,
        ConditionOperator.IpAddress or ConditionOperator.NotIpAddress => ReadNetwork(text),
        ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.DateLessThan
            or ConditionOperator.DateLessThanEquals or ConditionOperator.DateGreaterThan or ConditionOperator.DateGreaterThanEquals =>
            TryParseInstant(text, out var instant) ? new ConditionValue(text, 0, instant, false, default) : null,
        ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals or ConditionOperator.NumericLessThan
            or ConditionOperator.NumericLessThanEquals or ConditionOperator.NumericGreaterThan or ConditionOperator.NumericGreaterThanEquals =>
            decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                ? new ConditionValue(text, number, default, false, default) : null,
        ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike =>
            text == "*" || IsArnPattern(text) ? Text(text) : null,
        _ => Text(text),
    };

    /// <summary>An ARN or ARN pattern: <c>arn:</c>, a partition and at least a service segment.</summary>
    public static bool IsArnPattern(string text) =>
        text.StartsWith("arn:", StringComparison.Ordinal) && text.Split(':', 4).Length >= 3;

    private static ConditionValue Text(string text) => new(text, 0, default, false, default);

    /// <summary>A CIDR block or a single address (a /32 or /128 block).</summary>
    private static ConditionValue? ReadNetwork(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // IPNetwork refuses host bits set below the prefix; IAM accepts "10.1.2.3/16", so mask them off first.
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address)
                || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
            {
                return null;
            }

            return new ConditionValue(text, 0, default, false, new IPNetwork(Mask(address, prefix), prefix));
        }

        return IPAddress.TryParse(text, out var single) && !text.Contains('%', StringComparison.Ordinal)
            ? new ConditionValue(text, 0, default, false, new IPNetwork(single, single.GetAddressBytes().Length * 8))
            : null;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
