namespace Berth.Domain.Scanning.Layers;

/// <summary>Which paths the inventory needs, and path arithmetic on tar entry names.</summary>
internal static class ImagePaths
{
    /// <summary>The largest file kept; an rpm SQLite database is the largest the inventory reads.</summary>
    public const int MaxFileBytes = 256 * 1024 * 1024;

    /// <summary>A tar entry name as a relative path without <c>./</c> or a trailing slash.</summary>
    public static string Normalize(string name)
    {
        var span = name.AsSpan();
        while (span.StartsWith("./", StringComparison.Ordinal))
        {
            span = span[2..];
        }

        return span.Trim('/').ToString();
    }

    public static bool IsWanted(string path) =>
        path is "etc/os-release" or "usr/lib/os-release" or "etc/alpine-release"
            or "var/lib/dpkg/status" or "lib/apk/db/installed"
            or "var/lib/rpm/rpmdb.sqlite" or "usr/lib/sysimage/rpm/rpmdb.sqlite"
        || path.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal)
        || (path.EndsWith("/METADATA", StringComparison.Ordinal) && path.Contains(".dist-info/", StringComparison.Ordinal))
        || IsNodeModuleManifest(path);

    /// <summary><c>…/node_modules/name/package.json</c> or <c>…/node_modules/@scope/name/package.json</c>.</summary>
    private static bool IsNodeModuleManifest(string path)
    {
        if (!path.EndsWith("/package.json", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = path.Split('/');
        var n = parts.Length;
        return (n >= 3 && parts[n - 3] == "node_modules" && !parts[n - 2].StartsWith('@'))
            || (n >= 4 && parts[n - 4] == "node_modules" && parts[n - 3].StartsWith('@'));
    }

    /// <summary>Where a symbolic link at <paramref name="path"/> pointing at <paramref name="target"/> leads.</summary>
    public static string Resolve(string path, string target)
    {
        var baseParts = target.StartsWith('/') ? new List<string>() : [.. path.Split('/')[..^1]];
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (baseParts.Count > 0)
                {
                    baseParts.RemoveAt(baseParts.Count - 1);
                }
            }
            else
            {
                baseParts.Add(part);
            }
        }

        return string.Join('/', baseParts);
    }
}
