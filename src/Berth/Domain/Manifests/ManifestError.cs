namespace Berth.Domain.Manifests;

/// <summary>Why a manifest was refused, with a message fit to show the client.</summary>
public sealed record ManifestError(ManifestErrorKind Kind, string Message);

/// <summary>The closed set of reasons a manifest push is refused by the parser.</summary>
public enum ManifestErrorKind
{
    /// <summary>Larger than <see cref="ManifestParser.MaxManifestBytes"/> (OCI: 413).</summary>
    TooLarge,

    /// <summary>Not JSON, wrong schema, bad descriptor, or mediaType contradicting Content-Type (OCI: MANIFEST_INVALID).</summary>
    Invalid,

    /// <summary>A media type the registry does not store, including Docker schema 1 (OCI: 400 MANIFEST_INVALID).</summary>
    Unsupported,
}
