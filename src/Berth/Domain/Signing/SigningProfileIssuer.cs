using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Domain.Auth;

namespace Berth.Domain.Signing;

/// <summary>
/// Makes a profile's key and the chain Notary Project verifiers require of it: a root CA (basicConstraints cA, critical;
/// keyUsage keyCertSign, critical) and a leaf (keyUsage digitalSignature only, critical; extendedKeyUsage codeSigning).
/// The root's private key signs the leaf and is then dropped: nothing but the leaf key signs, and a root key that is not
/// kept cannot leak.
/// </summary>
public static class SigningProfileIssuer
{
    private const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    /// <summary>A new profile with its private key sealed under <paramref name="sealer"/>, bound to the profile's ARN.</summary>
    public static SigningProfile Issue(RegistryScope registry, string name, SigningKeyAlgorithm algorithm, int validityDays, DateTimeOffset now, SecretSealer sealer)
    {
        // A minute back, so a verifier whose clock runs a little behind still finds the certificates valid at signing.
        var notBefore = now.AddMinutes(-1);
        var notAfter = now.AddDays(validityDays);
        using var rootKey = NewKey(algorithm);
        using var leafKey = NewKey(algorithm);
        var subject = $"O=Berth, OU={registry.AccountId} {registry.Region}";
        var rootRequest = Request($"CN=Berth signing root {name}, {subject}", rootKey, algorithm);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var rootIdentifier = new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false);
        rootRequest.CertificateExtensions.Add(rootIdentifier);
        using var root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        var leafRequest = Request($"CN={name}, {subject}", leafKey, algorithm);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigning)], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(rootIdentifier));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leaf = leafRequest.Create(root.SubjectName, Generator(rootKey, algorithm), notBefore, notAfter, serial);

        var arn = SigningProfileArn.Format(registry, name);
        var sealedKey = sealer.Seal(arn, Convert.ToBase64String(leafKey.ExportPkcs8PrivateKey()));
        return new SigningProfile(registry, name, algorithm, sealedKey, [leaf.RawData, root.RawData], now, notAfter);
    }

    /// <summary>The profile's signing key, or null when it does not open with this secrets key.</summary>
    public static AsymmetricAlgorithm? OpenKey(SigningProfile profile, SecretSealer sealer)
    {
        if (sealer.Unseal(profile.Arn, profile.SealedPrivateKey) is not { } text || !SecretSealer.IsSealed(profile.SealedPrivateKey))
        {
            return null;
        }

        AsymmetricAlgorithm key = profile.Algorithm == SigningKeyAlgorithm.Rsa3072 ? RSA.Create() : ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
        return key;
    }

    /// <summary>The root certificate as PEM, for a verifier's trust store.</summary>
    public static string RootPem(SigningProfile profile) => PemEncoding.WriteString("CERTIFICATE", profile.CertificateChain[^1]);

    private static AsymmetricAlgorithm NewKey(SigningKeyAlgorithm algorithm) => algorithm == SigningKeyAlgorithm.Rsa3072
        ? RSA.Create(3072)
        : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, SigningKeyAlgorithm algorithm) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key, SigningKeyAlgorithm algorithm) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
