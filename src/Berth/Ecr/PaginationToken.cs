using System.Buffers.Text;
using System.Text;

namespace Berth.Ecr;

/// <summary>
/// Opaque nextToken values. A token carries the operation it belongs to and the last key returned, so
/// pages stay stable while writes happen and a token cannot be replayed against another listing.
/// </summary>
public static class PaginationToken
{
    public static string Encode(string operation, string lastKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"v1\n{operation}\n{lastKey}"));

    public static bool TryDecode(string operation, string token, out string lastKey)
    {
        lastKey = string.Empty;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var parts = text.Split('\n', 3);
        if (parts.Length != 3 || parts[0] != "v1" || parts[1] != operation)
        {
            return false;
        }

        lastKey = parts[2];
        return true;
    }

    public static EcrError Invalid() => new("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
}
