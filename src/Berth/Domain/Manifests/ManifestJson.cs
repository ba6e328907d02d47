using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Berth.Domain.Manifests;

/// <summary>
/// Typed, validating reads of the fields manifests share (descriptors, annotations, optional strings). Each read
/// reports a message naming the JSON path instead of throwing.
/// </summary>
internal static class ManifestJson
{
    private const int MaxQuotedLength = 100;

    /// <summary>A required array of descriptors, such as <c>layers</c> or <c>manifests</c>; it may be empty.</summary>
    public static bool TryReadDescriptors(
        JsonElement parent,
        string name,
        [NotNullWhen(true)] out IReadOnlyList<Descriptor>? descriptors,
        [NotNullWhen(false)] out string? error)
    {
        descriptors = null;
        if (!parent.TryGetProperty(name, out var array))
        {
            error = $"{name} is required";
            return false;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            error = $"{name} must be an array";
            return false;
        }

        var list = new Descriptor[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (!TryReadDescriptorObject(item, $"{name}[{i}]", out var descriptor, out error))
            {
                return false;
            }

            list[i++] = descriptor;
        }

        descriptors = list;
        error = null;
        return true;
    }

    /// <summary>An optional descriptor field such as <c>subject</c>, or a required one such as <c>config</c>.</summary>
    public static bool TryReadDescriptor(
        JsonElement parent,
        string name,
        bool required,
        out Descriptor? descriptor,
        [NotNullWhen(false)] out string? error)
    {
        descriptor = null;
        if (!TryGetPresent(parent, name, out var element))
        {
            error = required ? $"{name} is required" : null;
            return !required;
        }

        var ok = TryReadDescriptorObject(element, name, out var read, out error);
        descriptor = read;
        return ok;
    }

    /// <summary>The optional <c>annotations</c> object of <paramref name="parent"/>; every value must be a string.</summary>
    public static bool TryReadAnnotations(
        JsonElement parent,
        string path,
        out IReadOnlyDictionary<string, string>? annotations,
        [NotNullWhen(false)] out string? error)
    {
        annotations = null;
        error = null;
        if (!TryGetPresent(parent, "annotations", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{path}annotations must be an object of strings";
            return false;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!TryGetName(property, out var key))
            {
                error = $"{path}annotations has a key that is not valid Unicode";
                return false;
            }

            if (!TryGetString(property.Value, out var value))
            {
                error = $"{path}annotations.{Quote(key)} must be a string";
                return false;
            }

            map[key] = value;
        }

        annotations = map;
        return true;
    }

    /// <summary>An optional string field; present but not a string is an error.</summary>
    public static bool TryReadOptionalString(
        JsonElement parent,
        string path,
        string name,
        out string? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!TryGetPresent(parent, name, out var element))
        {
            return true;
        }

        if (!TryGetString(element, out value))
        {
            error = $"{path}{name} must be a string";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Finds an optional field, treating an explicit JSON null as absent the way Go clients and Distribution do.
    /// </summary>
    public static bool TryGetPresent(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// The value of a JSON string. False when the element is not a string, or when it holds an escaped unpaired
    /// surrogate (<c>"\ud800"</c>): valid JSON grammar, but not text System.Text.Json can hand back.
    /// </summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Quotes client-supplied text for an error message, cut short so a hostile value cannot flood it.</summary>
    public static string Quote(string value) =>
        value.Length <= MaxQuotedLength ? $"'{value}'" : $"'{value.AsSpan(0, MaxQuotedLength)}…'";

    private static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    private static bool TryReadDescriptorObject(
        JsonElement element,
        string path,
        [NotNullWhen(true)] out Descriptor? descriptor,
        [NotNullWhen(false)] out string? error)
    {
        descriptor = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{path} must be a descriptor object";
            return false;
        }

        var prefix = path + ".";
        if (!TryReadRequiredString(element, prefix, "mediaType", out var mediaType, out error)
            || !TryReadRequiredString(element, prefix, "digest", out var digest, out error)
            || !TryReadSize(element, prefix, out var size, out error)
            || !TryReadOptionalString(element, prefix, "artifactType", out var artifactType, out error)
            || !TryReadAnnotations(element, prefix, out var annotations, out error)
            || !TryReadPlatform(element, prefix, out var platform, out error)
            || !TryReadUrls(element, prefix, out var urls, out error))
        {
            return false;
        }

        var digestProblem = ManifestDigests.Validate(digest);
        if (digestProblem is not null)
        {
            error = $"{prefix}digest {Quote(digest)} {digestProblem}";
            return false;
        }

        // "data" (embedded base64 content) and unknown fields are left as they are: the bytes are stored untouched.
        descriptor = new Descriptor(mediaType, digest, size, artifactType, annotations, platform, urls);
        return true;
    }

    private static bool TryReadRequiredString(
        JsonElement parent,
        string path,
        string name,
        [NotNullWhen(true)] out string? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var element))
        {
            error = $"{path}{name} is required";
            return false;
        }

        if (!TryGetString(element, out var text) || text.Length == 0)
        {
            error = $"{path}{name} must be a non-empty string";
            return false;
        }

        value = text;
        error = null;
        return true;
    }

    private static bool TryReadSize(JsonElement parent, string path, out long size, [NotNullWhen(false)] out string? error)
    {
        size = 0;
        if (!parent.TryGetProperty("size"u8, out var element))
        {
            error = $"{path}size is required";
            return false;
        }

        // TryGetInt64 refuses fractions and exponents, so "1.5" and "1e3" are rejected along with non-numbers.
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out size) || size < 0)
        {
            error = $"{path}size must be an integer >= 0, not {Quote(element.GetRawText())}";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryReadPlatform(JsonElement parent, string path, out ManifestPlatform? platform, [NotNullWhen(false)] out string? error)
    {
        platform = null;
        error = null;
        if (!TryGetPresent(parent, "platform", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{path}platform must be an object";
            return false;
        }

        var prefix = path + "platform.";
        if (!TryReadRequiredString(element, prefix, "architecture", out var architecture, out error)
            || !TryReadRequiredString(element, prefix, "os", out var os, out error)
            || !TryReadOptionalString(element, prefix, "variant", out var variant, out error)
            || !TryReadOptionalString(element, prefix, "os.version", out var osVersion, out error))
        {
            return false;
        }

        platform = new ManifestPlatform(architecture, os, variant, osVersion);
        return true;
    }

    private static bool TryReadUrls(JsonElement parent, string path, out IReadOnlyList<string>? urls, [NotNullWhen(false)] out string? error)
    {
        urls = null;
        error = null;
        if (!TryGetPresent(parent, "urls", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            error = $"{path}urls must be an array of strings";
            return false;
        }

        var list = new string[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (!TryGetString(item, out var url))
            {
                error = $"{path}urls[{i}] must be a string";
                return false;
            }

            list[i++] = url;
        }

        urls = list;
        return true;
    }
}
