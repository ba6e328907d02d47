using System.Diagnostics.CodeAnalysis;

namespace Berth.Domain.Manifests;

/// <summary>Either the parsed manifest or the reason it was refused; parsing never throws for bad input.</summary>
public sealed class ManifestParseResult
{
    private ManifestParseResult(ParsedManifest? manifest, ManifestError? error)
    {
        Manifest = manifest;
        Error = error;
    }

    public ParsedManifest? Manifest { get; }

    public ManifestError? Error { get; }

    [MemberNotNullWhen(true, nameof(Manifest))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Manifest is not null;

    public static ManifestParseResult Success(ParsedManifest manifest) => new(manifest, null);

    public static ManifestParseResult Failure(ManifestErrorKind kind, string message) => new(null, new ManifestError(kind, message));
}
