namespace Berth.Domain;

/// <summary>Why a string is not an acceptable digest, so adapters can tell a malformed digest from an unsupported one.</summary>
public enum DigestError
{
    None = 0,

    /// <summary>Not <c>algorithm:encoded</c> as the OCI digest grammar defines it.</summary>
    Malformed,

    /// <summary>Well-formed, but the algorithm is neither sha256 nor sha512.</summary>
    UnsupportedAlgorithm,

    /// <summary>A supported algorithm whose encoded part is not lowercase hex of the right length.</summary>
    InvalidEncoding,
}
