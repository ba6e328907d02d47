namespace Berth.Domain.Signing;

/// <summary>
/// Berth's stand-in for an AWS Signer profile: a private key (sealed with the secrets key, bound to the profile's ARN)
/// and the certificate chain that vouches for it, leaf first and root last, as DER.
/// </summary>
public sealed record SigningProfile(
    RegistryScope Registry,
    string Name,
    SigningKeyAlgorithm Algorithm,
    string SealedPrivateKey,
    IReadOnlyList<byte[]> CertificateChain,
    DateTimeOffset CreatedAt,
    DateTimeOffset NotAfter)
{
    public string Arn => SigningProfileArn.Format(Registry, Name);
}

/// <summary>The key kinds a profile may have; each fixes the JWS <c>alg</c> the Notary Project mandates for it.</summary>
public enum SigningKeyAlgorithm
{
    /// <summary>ECDSA on P-256, signing with ES256.</summary>
    EcdsaP256,

    /// <summary>RSA 3072, signing with RSASSA-PSS and SHA-384 (PS384).</summary>
    Rsa3072,
}
