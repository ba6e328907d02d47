using Berth.Domain.Scanning.Layers;

namespace Berth.Domain.Scanning.Inventory;

/// <summary>What an image holds: its distribution (null when not recognised) and every package found.</summary>
public sealed record PackageInventory(OperatingSystem? System, IReadOnlyList<InstalledPackage> Packages)
{
    /// <summary>Reads the distribution and every package database the kept files hold.</summary>
    public static PackageInventory From(ImageFiles files)
    {
        var release = files.Find("etc/os-release") ?? files.Find("usr/lib/os-release");
        var system = release is null ? null : OperatingSystem.Parse(release.Content);
        var packages = new List<InstalledPackage>();
        foreach (var (path, file) in files.All)
        {
            if (file.LinkTarget is not null)
            {
                continue;
            }

            if (path == "var/lib/dpkg/status")
            {
                packages.AddRange(DpkgDatabase.Read(file.Content, "/" + path, file.LayerDigest, requireInstalled: true));
            }
            else if (path.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal) && !path.EndsWith(".md5sums", StringComparison.Ordinal))
            {
                packages.AddRange(DpkgDatabase.Read(file.Content, "/" + path, file.LayerDigest, requireInstalled: false));
            }
            else if (path == "lib/apk/db/installed")
            {
                packages.AddRange(ApkDatabase.Read(file.Content, "/" + path, file.LayerDigest));
            }
            else if (path.EndsWith("rpmdb.sqlite", StringComparison.Ordinal))
            {
                packages.AddRange(RpmDatabase.Read(file.Content, "/" + path, file.LayerDigest));
            }
            else if (path.EndsWith("/METADATA", StringComparison.Ordinal))
            {
                if (LanguagePackages.ReadPythonMetadata(file.Content, "/" + path, file.LayerDigest) is { } python)
                {
                    packages.Add(python);
                }
            }
            else if (path.EndsWith("/package.json", StringComparison.Ordinal)
                && LanguagePackages.ReadNpmManifest(file.Content, "/" + path, file.LayerDigest) is { } npm)
            {
                packages.Add(npm);
            }
        }

        packages.Sort(static (a, b) => string.CompareOrdinal(a.Kind + "/" + a.Name + "/" + a.FilePath, b.Kind + "/" + b.Name + "/" + b.FilePath));
        return new PackageInventory(system, packages);
    }
}
