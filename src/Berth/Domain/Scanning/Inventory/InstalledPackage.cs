namespace Berth.Domain.Scanning.Inventory;

/// <summary>
/// One package found in an image. Advisories are matched on <see cref="MatchName"/> at <see cref="MatchVersion"/>:
/// for distribution packages the source package (Debian's and Alpine's advisories name sources), else the package.
/// </summary>
public sealed record InstalledPackage(
    PackageKind Kind,
    string Name,
    string Version,
    string? Arch,
    string FilePath,
    string LayerDigest)
{
    public string? SourceName { get; init; }

    public string? SourceVersion { get; init; }

    public string MatchName => SourceName ?? Name;

    public string MatchVersion => SourceVersion ?? Version;
}

/// <summary>Where a package came from, which says how its versions compare and which OSV ecosystem names it.</summary>
public enum PackageKind
{
    Dpkg,
    Apk,
    Rpm,
    Python,
    Npm,
}
