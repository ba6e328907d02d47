namespace Berth.Domain;

/// <summary>The content digest algorithms the registry accepts; any other algorithm is rejected at parse time.</summary>
public enum DigestAlgorithm
{
    /// <summary>Not a digest: the value of <c>default(Digest).Algorithm</c>.</summary>
    None = 0,
    Sha256 = 1,
    Sha512 = 2,
}
