using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Domain.Signing;

/// <summary>
/// A Notary Project signature (notary.x509 scheme) in the JWS envelope: the payload is the signed manifest's descriptor,
/// the protected header binds the algorithm, content type, scheme and signing time, and the unprotected header carries
/// the certificate chain (<c>x5c</c>, leaf first) a verifier checks against its trust store. The envelope is stored as the
/// one layer of an OCI manifest whose subject is the signed image, so the referrers API finds it.
/// </summary>
public static class NotarySignature
{
    public const string ArtifactType = "application/vnd.cncf.notary.signature";
    public const string EnvelopeMediaType = "application/jose+json";
    public const string PayloadContentType = "application/vnd.cncf.notary.payload.v1+json";
    public const string EmptyConfigMediaType = "application/vnd.oci.empty.v1+json";
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string ThumbprintAnnotation = "io.cncf.notary.x509chain.thumbprint#S256";

    private const string SigningScheme = "io.cncf.notary.signingScheme";
    private const string SigningTime = "io.cncf.notary.signingTime";

    /// <summary>The empty JSON object OCI uses as the config of an artifact that has none.</summary>
    public static ReadOnlyMemory<byte> EmptyConfig { get; } = "{}"u8.ToArray();

    /// <summary>The JWS <c>alg</c> the Notary Project fixes for a key.</summary>
    public static string Algorithm(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 256 } => "ES256",
        ECDsa { KeySize: 384 } => "ES384",
        ECDsa { KeySize: 521 } => "ES512",
        RSA { KeySize: 2048 } => "PS256",
        RSA { KeySize: 3072 } => "PS384",
        RSA { KeySize: 4096 } => "PS512",
        _ => throw new ArgumentException($"A {key.KeySize}-bit {key.GetType().Name} key has no Notary Project algorithm.", nameof(key)),
    };

    /// <summary>The flattened JWS JSON envelope signing <paramref name="target"/> at <paramref name="signedAt"/>.</summary>
    public static byte[] CreateEnvelope(Descriptor target, AsymmetricAlgorithm key, IReadOnlyList<byte[]> chain, DateTimeOffset signedAt)
    {
        var alg = Algorithm(key);
        var protectedHeader = Base64Url.EncodeToString(Json(writer =>
        {
            writer.WriteString("alg", alg);
            writer.WriteStartArray("crit");
            writer.WriteStringValue(SigningScheme);
            writer.WriteEndArray();
            writer.WriteString("cty", PayloadContentType);
            writer.WriteString(SigningScheme, "notary.x509");
            // RFC 3339 without fractional seconds, as the specification asks.
            writer.WriteString(SigningTime, signedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }));
        var payload = Base64Url.EncodeToString(Json(writer =>
        {
            writer.WritePropertyName("targetArtifact");
            WriteDescriptor(writer, target);
        }));

        var signingInput = Encoding.ASCII.GetBytes(protectedHeader + "." + payload);
        var signature = key switch
        {
            ECDsa ecdsa => ecdsa.SignData(signingInput, HashFor(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.SignData(signingInput, HashFor(alg), RSASignaturePadding.Pss),
            _ => throw new ArgumentException("Unsupported key.", nameof(key)),
        };

        return Json(writer =>
        {
            writer.WriteString("payload", payload);
            writer.WriteString("protected", protectedHeader);
            writer.WriteStartObject("header");
            writer.WriteStartArray("x5c");
            foreach (var certificate in chain)
            {
                writer.WriteBase64StringValue(certificate);
            }

            writer.WriteEndArray();
            writer.WriteString("io.cncf.notary.signingAgent", "berth");
            writer.WriteEndObject();
            writer.WriteString("signature", Base64Url.EncodeToString(signature));
        });
    }

    /// <summary>The signature manifest: the empty config, the envelope as its one layer, the signed image as subject.</summary>
    public static byte[] CreateManifest(Descriptor subject, Descriptor envelope, IReadOnlyList<byte[]> chain, DateTimeOffset signedAt) =>
        Json(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", ManifestMediaType);
            writer.WriteString("artifactType", ArtifactType);
            writer.WritePropertyName("config");
            WriteDescriptor(writer, new Descriptor(EmptyConfigMediaType, Digest.Compute(EmptyConfig.Span), EmptyConfig.Length));
            writer.WriteStartArray("layers");
            WriteDescriptor(writer, envelope);
            writer.WriteEndArray();
            writer.WritePropertyName("subject");
            WriteDescriptor(writer, subject);
            writer.WriteStartObject("annotations");
            writer.WriteString(ThumbprintAnnotation, Thumbprints(chain));
            writer.WriteString("org.opencontainers.image.created", signedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        });

    /// <summary>The SHA-256 fingerprints of the chain, in its order, as the JSON array text the annotation holds.</summary>
    private static string Thumbprints(IReadOnlyList<byte[]> chain)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var certificate in chain)
            {
                writer.WriteStringValue(Convert.ToHexStringLower(SHA256.HashData(certificate)));
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static HashAlgorithmName HashFor(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static void WriteDescriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteNumber("size", descriptor.Size);
        writer.WriteEndObject();
    }

    /// <summary>One compact JSON object whose members <paramref name="write"/> writes.</summary>
    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An OCI descriptor: what a manifest says about one blob or manifest.</summary>
    public readonly record struct Descriptor(string MediaType, Digest Digest, long Size);
}
