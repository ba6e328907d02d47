using System.Text;
using System.Text.Json;

namespace Berth.Domain.Scanning.Inventory;

/// <summary>
/// Language packages whose installed metadata states their exact version: Python distributions
/// (<c>*.dist-info/METADATA</c>, <c>Name:</c> and <c>Version:</c>) and npm modules
/// (<c>node_modules/**/package.json</c>, <c>name</c> and <c>version</c>).
/// </summary>
public static class LanguagePackages
{
    public static InstalledPackage? ReadPythonMetadata(ReadOnlySpan<byte> content, string filePath, string layer)
    {
        string? name = null, version = null;
        foreach (var raw in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                // The headers end at the first blank line; the long description follows.
                break;
            }

            if (line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase))
            {
                name = line[5..].Trim();
            }
            else if (line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase))
            {
                version = line[8..].Trim();
            }
        }

        return name is { Length: > 0 } && version is { Length: > 0 }
            ? new InstalledPackage(PackageKind.Python, NormalizePython(name), version, null, filePath, layer)
            : null;
    }

    public static InstalledPackage? ReadNpmManifest(byte[] content, string filePath, string layer)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                ? new InstalledPackage(PackageKind.Npm, name.GetString()!, version.GetString()!, null, filePath, layer)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>PEP 503's normal form, which OSV's PyPI entries use: lower case, runs of <c>-_.</c> as one <c>-</c>.</summary>
    public static string NormalizePython(string name)
    {
        var builder = new StringBuilder(name.Length);
        var dash = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                dash = true;
                continue;
            }

            if (dash && builder.Length > 0)
            {
                builder.Append('-');
            }

            dash = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
