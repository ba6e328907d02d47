using System.Buffers;
using System.Security.Cryptography;

namespace Berth.Domain.Manifests;

/// <summary>
/// Digest strings as manifests carry them. Stands in for the domain's Digest type, which this module will use once
/// both are merged.
/// </summary>
internal static class ManifestDigests
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary><c>sha256:</c> + lowercase hex of the bytes.</summary>
    public static string Compute(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    /// <summary>Null when <paramref name="digest"/> is a sha256 or sha512 digest in canonical form, else why it is not.</summary>
    public static string? Validate(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == digest.Length - 1)
        {
            return "is not a digest of the form <algorithm>:<hex>";
        }

        var algorithm = digest.AsSpan(0, colon);
        var encoded = digest.AsSpan(colon + 1);
        var hexLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => 0,
        };
        if (hexLength == 0)
        {
            return IsAlgorithmGrammar(algorithm) && IsEncodedGrammar(encoded)
                ? $"uses the unsupported algorithm '{algorithm}' (only sha256 and sha512 are accepted)"
                : "is not a digest of the form <algorithm>:<hex>";
        }

        if (encoded.Length != hexLength || encoded.ContainsAnyExcept(LowerHex))
        {
            return $"is not a valid {algorithm} digest: expected {hexLength} lowercase hex characters";
        }

        return null;
    }

    // image-spec: algorithm = [a-z0-9]+([+._-][a-z0-9]+)*
    private static bool IsAlgorithmGrammar(ReadOnlySpan<char> algorithm)
    {
        var previousWasSeparator = true;
        foreach (var c in algorithm)
        {
            var isSeparator = c is '+' or '.' or '_' or '-';
            if (isSeparator ? previousWasSeparator : !char.IsAsciiDigit(c) && !char.IsAsciiLetterLower(c))
            {
                return false;
            }

            previousWasSeparator = isSeparator;
        }

        return !previousWasSeparator;
    }

    // image-spec: encoded = [a-zA-Z0-9=_-]+
    private static bool IsEncodedGrammar(ReadOnlySpan<char> encoded)
    {
        foreach (var c in encoded)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('=' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
