using System.Buffers;
using System.Security.Cryptography;

namespace Berth.Domain;

/// <summary>A content digest (<c>sha256:&lt;hex&gt;</c>), validated once at the edge; its hex part is safe as a path component.</summary>
public readonly record struct Digest
{
    private const string Sha256Prefix = "sha256:";
    private const string Sha512Prefix = "sha512:";

    // The OCI grammar's encoded part: [a-zA-Z0-9=_-]+
    private static readonly SearchValues<char> EncodedChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=_-");

    private static readonly SearchValues<char> LowerHexChars = SearchValues.Create("0123456789abcdef");

    // The whole text ("sha256:<hex>"), kept so that ToString never allocates on the hot path.
    private readonly string? _value;

    private Digest(DigestAlgorithm algorithm, string value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    public DigestAlgorithm Algorithm { get; }

    /// <summary>The lowercase hex of the hash, without the algorithm prefix; empty for <c>default</c>.</summary>
    public ReadOnlySpan<char> Hex => _value is null ? default : _value.AsSpan(Prefix(Algorithm).Length);

    /// <summary>True for <c>default(Digest)</c>, which names no content.</summary>
    public bool IsEmpty => _value is null;

    public override string ToString() => _value ?? string.Empty;

    public static bool TryParse(string? s, out Digest digest) => TryParse(s, out digest, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out Digest digest) => TryParseCore(s, null, out digest, out _);

    public static bool TryParse(string? s, out Digest digest, out DigestError error) =>
        TryParseCore(s, s, out digest, out error);

    public static bool TryParse(ReadOnlySpan<char> s, out Digest digest, out DigestError error) =>
        TryParseCore(s, null, out digest, out error);

    /// <summary>Parses a digest known to be valid (constants, tests); untrusted input goes through <see cref="TryParse(string?, out Digest)"/>.</summary>
    public static Digest Parse(string s) =>
        TryParse(s, out var digest, out var error)
            ? digest
            : throw new FormatException($"'{s}' is not an acceptable digest: {error}.");

    /// <summary>Builds a digest from an algorithm and its hex text, as found in a storage key.</summary>
    public static bool TryFromHex(DigestAlgorithm algorithm, ReadOnlySpan<char> hex, out Digest digest)
    {
        if (algorithm is not (DigestAlgorithm.Sha256 or DigestAlgorithm.Sha512) || !IsLowerHex(hex, algorithm))
        {
            digest = default;
            return false;
        }

        digest = new Digest(algorithm, string.Concat(Prefix(algorithm), hex));
        return true;
    }

    /// <summary>The digest of a finished hash.</summary>
    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash)
    {
        var prefix = Prefix(algorithm);
        if (hash.Length != HashSizeInBytes(algorithm))
        {
            throw new ArgumentException($"A {AlgorithmName(algorithm)} hash has {HashSizeInBytes(algorithm)} bytes, not {hash.Length}.", nameof(hash));
        }

        Span<char> text = stackalloc char[Sha512Prefix.Length + (2 * SHA512.HashSizeInBytes)];
        prefix.CopyTo(text);
        Convert.TryToHexStringLower(hash, text[prefix.Length..], out var written);
        return new Digest(algorithm, new string(text[..(prefix.Length + written)]));
    }

    public static Digest Sha256(ReadOnlySpan<byte> hash) => FromHash(DigestAlgorithm.Sha256, hash);

    /// <summary>The sha256 digest of some content held in memory (manifests, small blobs).</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) => Compute(DigestAlgorithm.Sha256, content);

    public static Digest Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        var length = algorithm switch
        {
            DigestAlgorithm.Sha256 => SHA256.HashData(content, hash),
            DigestAlgorithm.Sha512 => SHA512.HashData(content, hash),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a digest algorithm."),
        };
        return FromHash(algorithm, hash[..length]);
    }

    /// <summary>The algorithm as it appears in a digest string and in storage keys: "sha256" or "sha512".</summary>
    public static string AlgorithmName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => "sha256",
        DigestAlgorithm.Sha512 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a digest algorithm."),
    };

    public static int HashSizeInBytes(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => SHA256.HashSizeInBytes,
        DigestAlgorithm.Sha512 => SHA512.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a digest algorithm."),
    };

    internal static HashAlgorithmName ToHashAlgorithmName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        DigestAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a digest algorithm."),
    };

    private static string Prefix(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => Sha256Prefix,
        DigestAlgorithm.Sha512 => Sha512Prefix,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a digest algorithm."),
    };

    private static bool TryParseCore(ReadOnlySpan<char> s, string? original, out Digest digest, out DigestError error)
    {
        digest = default;
        var colon = s.IndexOf(':');
        if (colon <= 0 || !IsAlgorithmGrammar(s[..colon]) || !IsEncodedGrammar(s[(colon + 1)..]))
        {
            error = DigestError.Malformed;
            return false;
        }

        var algorithm = s[..colon] switch
        {
            "sha256" => DigestAlgorithm.Sha256,
            "sha512" => DigestAlgorithm.Sha512,
            _ => DigestAlgorithm.None,
        };
        if (algorithm == DigestAlgorithm.None)
        {
            error = DigestError.UnsupportedAlgorithm;
            return false;
        }

        if (!IsLowerHex(s[(colon + 1)..], algorithm))
        {
            error = DigestError.InvalidEncoding;
            return false;
        }

        digest = new Digest(algorithm, original ?? s.ToString());
        error = DigestError.None;
        return true;
    }

    // algorithm = component (separator component)*; component = [a-z0-9]+; separator = [+._-]
    private static bool IsAlgorithmGrammar(ReadOnlySpan<char> s)
    {
        var expectComponent = true;
        foreach (var c in s)
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                expectComponent = false;
            }
            else if (c is ('+' or '.' or '_' or '-') && !expectComponent)
            {
                expectComponent = true;
            }
            else
            {
                return false;
            }
        }

        return !expectComponent;
    }

    private static bool IsEncodedGrammar(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExcept(EncodedChars);

    private static bool IsLowerHex(ReadOnlySpan<char> s, DigestAlgorithm algorithm) =>
        s.Length == 2 * HashSizeInBytes(algorithm) && !s.ContainsAnyExcept(LowerHexChars);
}
