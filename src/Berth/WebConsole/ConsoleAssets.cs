using System.Security.Cryptography;

namespace Berth.WebConsole;

/// <summary>
/// The console's files (HTML, CSS, JavaScript modules), built into the assembly as resources named
/// <c>console/&lt;path&gt;</c>, so the console needs nothing from the network or the disk. Each is served with its
/// content type and a strong ETag (its SHA-256), and revalidated on every load.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private readonly Dictionary<string, ConsoleAsset> _assets = new(StringComparer.Ordinal);

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || ContentTypeOf(name) is not { } contentType)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
            _assets[name[Prefix.Length..].Replace('\\', '/')] = new ConsoleAsset(bytes, contentType, etag);
        }
    }

    public IReadOnlyCollection<string> Paths => _assets.Keys;

    public ConsoleAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static string? ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => null,
    };
}

/// <summary>One console file as served.</summary>
public sealed record ConsoleAsset(byte[] Bytes, string ContentType, string ETag);
