namespace Berth.Oci;

/// <summary>The resources of the /v2/ API.</summary>
public enum OciResource
{
    Base,
    Catalog,
    Blob,
    Uploads,
    Upload,
    Manifest,
    Tags,
    Referrers,
}

/// <summary>
/// A /v2/ path split into resource, repository name and argument. Names contain '/', so the path is cut at
/// the last resource marker; references and digests never contain '/'.
/// </summary>
public readonly record struct OciRoute(OciResource Resource, string Name, string Argument)
{
    private static readonly (string Marker, OciResource Resource)[] Markers =
    [
        ("/blobs/uploads/", OciResource.Upload),
        ("/manifests/", OciResource.Manifest),
        ("/referrers/", OciResource.Referrers),
        ("/blobs/", OciResource.Blob),
    ];

    /// <summary>Parses the part after "/v2/".</summary>
    public static bool TryParse(string path, out OciRoute route)
    {
        route = default;
        if (path.Length == 0)
        {
            route = new OciRoute(OciResource.Base, string.Empty, string.Empty);
            return true;
        }

        if (path == "_catalog")
        {
            route = new OciRoute(OciResource.Catalog, string.Empty, string.Empty);
            return true;
        }

        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return Make(OciResource.Tags, path[..^"/tags/list".Length], string.Empty, out route);
        }

        if (path.EndsWith("/blobs/uploads/", StringComparison.Ordinal) || path.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            var end = path.LastIndexOf("/blobs/uploads", StringComparison.Ordinal);
            return Make(OciResource.Uploads, path[..end], string.Empty, out route);
        }

        foreach (var (marker, resource) in Markers)
        {
            var at = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var argument = path[(at + marker.Length)..];
            if (argument.Length > 0 && !argument.Contains('/', StringComparison.Ordinal))
            {
                return Make(resource, path[..at], argument, out route);
            }
        }

        return false;
    }

    private static bool Make(OciResource resource, string name, string argument, out OciRoute route)
    {
        route = new OciRoute(resource, name, argument);
        return name.Length > 0;
    }
}
