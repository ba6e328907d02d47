using System.Text.Json;
using System.Text.Unicode;

namespace Berth.Domain.Manifests;

/// <summary>Validates pushed manifest bytes and extracts what the registry records; pure, no I/O, never throws for bad input.</summary>
public static class ManifestParser
{
    /// <summary>The largest manifest accepted: 4 MiB, ECR's PutImage limit and CNCF Distribution's cap.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Real manifests nest four or five levels deep; anything near this is hostile.</summary>
    public const int MaxJsonDepth = 64;

    // Duplicate keys are refused: a registry and a client that each pick a different duplicate would disagree
    // about which blobs the manifest references.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// Parses a manifest as pushed. <paramref name="contentType"/> is the client's Content-Type header (or ECR's
    /// imageManifestMediaType); parameters such as <c>charset</c> are ignored, and a generic type such as
    /// <c>application/json</c> counts as absent. The digest is computed over <paramref name="manifest"/> exactly.
    /// </summary>
    public static ManifestParseResult Parse(ReadOnlyMemory<byte> manifest, string? contentType)
    {
        if (manifest.Length > MaxManifestBytes)
        {
            return ManifestParseResult.Failure(
                ManifestErrorKind.TooLarge,
                $"manifest is {manifest.Length} bytes, over the limit of {MaxManifestBytes} bytes (4 MiB)");
        }

        if (manifest.IsEmpty)
        {
            return Invalid("manifest is empty");
        }

        // System.Text.Json checks UTF-8 only when a string is read; checking up front gives one clear message.
        if (!Utf8.IsValid(manifest.Span))
        {
            return Invalid("manifest is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(manifest, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Invalid($"manifest is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // The duplicate-key check unescapes property names and throws this (not JsonException) for an
            // escaped unpaired surrogate such as "\ud800".
            return Invalid($"manifest is not valid JSON: {e.Message}");
        }

        using (document)
        {
            return Parse(document.RootElement, manifest.Span, contentType);
        }
    }

    private static ManifestParseResult Parse(JsonElement root, ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"manifest must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        }

        string? declared = null;
        if (ManifestJson.TryGetPresent(root, "mediaType", out var mediaTypeField))
        {
            if (!ManifestJson.TryGetString(mediaTypeField, out var text) || text.Length == 0)
            {
                return Invalid("mediaType must be a non-empty string");
            }

            declared = text;
        }

        var fromHeader = NormalizeContentType(contentType);
        if (declared is not null && fromHeader is not null && !declared.Equals(fromHeader, StringComparison.OrdinalIgnoreCase))
        {
            return Invalid(
                $"mediaType in manifest does not match Content-Type: the manifest says {ManifestJson.Quote(declared)}, "
                + $"the request says {ManifestJson.Quote(fromHeader)}");
        }

        if (declared is null && fromHeader is null && DockerSchema1.IsSchemaVersion1(root))
        {
            return DockerSchema1.Reject(ManifestMediaTypes.DockerSchema1Manifest);
        }

        var mediaType = declared ?? fromHeader ?? InferFromStructure(root);
        if (mediaType is null)
        {
            return Invalid(
                "cannot tell the manifest type: there is no mediaType field, no manifest Content-Type, and the body "
                + "has neither a manifests array (index) nor config and layers (image manifest)");
        }

        if (ManifestMediaTypes.IsSchema1(mediaType))
        {
            return DockerSchema1.Reject(mediaType);
        }

        var isIndex = ManifestMediaTypes.IsIndex(mediaType);
        if (!isIndex && !ManifestMediaTypes.IsImageManifest(mediaType))
        {
            return ManifestParseResult.Failure(
                ManifestErrorKind.Unsupported,
                $"manifest media type {ManifestJson.Quote(mediaType)} is not supported; push one of "
                + $"{ManifestMediaTypes.OciManifest}, {ManifestMediaTypes.OciIndex}, "
                + $"{ManifestMediaTypes.DockerManifest} or {ManifestMediaTypes.DockerManifestList}");
        }

        if (!root.TryGetProperty("schemaVersion"u8, out var version)
            || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var versionNumber)
            || versionNumber != 2)
        {
            var found = root.TryGetProperty("schemaVersion"u8, out version) ? ManifestJson.Quote(version.GetRawText()) : "nothing";
            return Invalid($"schemaVersion must be 2 for {mediaType}, found {found}");
        }

        var header = new ParsedManifest
        {
            MediaType = mediaType,
            DeclaresMediaType = declared is not null,
            Digest = ManifestDigests.Compute(bytes),
            Size = bytes.Length,
            IsIndex = isIndex,
        };
        return isIndex ? ImageIndexReader.Read(root, header) : ImageManifestReader.Read(root, header);
    }

    /// <summary>The manifest type named by a Content-Type, canonicalised when known; null when absent or generic.</summary>
    private static string? NormalizeContentType(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        if (semicolon >= 0)
        {
            span = span[..semicolon];
        }

        span = span.Trim();
        if (span.IsEmpty
            || span.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || span.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || span.Equals("*/*", StringComparison.Ordinal))
        {
            return null;
        }

        return ManifestMediaTypes.FindKnown(span) ?? span.ToString();
    }

    // The OCI image spec lets mediaType be absent from manifests and indexes, so the shape decides. A body with
    // both shapes stays ambiguous and is refused (CVE-2021-41190).
    private static string? InferFromStructure(JsonElement root)
    {
        var hasManifests = ManifestJson.TryGetPresent(root, "manifests", out _);
        var hasImageFields = ManifestJson.TryGetPresent(root, "config", out _) || ManifestJson.TryGetPresent(root, "layers", out _);
        return (hasManifests, hasImageFields) switch
        {
            (true, false) => ManifestMediaTypes.OciIndex,
            (false, true) => ManifestMediaTypes.OciManifest,
            _ => null,
        };
    }

    private static ManifestParseResult Invalid(string message) => ManifestParseResult.Failure(ManifestErrorKind.Invalid, message);
}
