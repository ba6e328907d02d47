using Berth.Domain.Images;
using Berth.Domain.Scanning.Inventory;
using Berth.Domain.Scanning.Layers;
using Berth.Domain.Scanning.Osv;
using Berth.Domain.Scanning.Versions;

namespace Berth.Domain.Scanning;

/// <summary>
/// Scans one image: reads its layers, inventories its packages, and matches them against the current OSV database.
/// Every outcome is a <see cref="ScanResult"/>; nothing here writes.
/// </summary>
public sealed class ImageScanner(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    /// <summary>The description of a scan that ended without a database to match against.</summary>
    public const string NoDatabase = "No vulnerability database has been imported, so findings are unavailable. Import one with 'berth vulndb import FILE.zip|DIR' and scan again.";

    public async Task<ScanResult> ScanAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken)
    {
        var image = await store.Images.GetManifestAsync(repository, null, digest, cancellationToken);
        if (image?.Manifest is not { } manifest)
        {
            return Done(ScanStatus.Failed, "The image no longer exists.");
        }

        if (image.StorageClass == ImageStorageClass.Archive)
        {
            return Done(ScanStatus.ImageArchived, "The image is archived; restore it with UpdateImageStorageClass to scan it.");
        }

        if (ScannableImage.LayersOf(manifest, image.MediaType) is not { } layers)
        {
            return Done(ScanStatus.UnsupportedImage, ScannableImage.UnsupportedMessage);
        }

        ImageFiles files;
        try
        {
            files = await new LayerReader(blobs).ReadAsync(layers, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ZstdSharp.ZstdException)
        {
            return Done(ScanStatus.Failed, $"A layer of the image could not be read: {e.Message}");
        }

        var inventory = PackageInventory.From(files);
        if (inventory.System?.Ecosystem is null)
        {
            return Done(
                ScanStatus.UnsupportedImage,
                inventory.System is null
                    ? "The image has no /etc/os-release, so its operating system is not recognised."
                    : $"The operating system '{inventory.System.PrettyName}' is not supported for scanning.");
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await store.Vulnerabilities.CurrentAsync(cancellationToken) is not { } database)
            {
                return Done(ScanStatus.FindingsUnavailable, NoDatabase);
            }

            var findings = await MatchAsync(database.Version, inventory, cancellationToken);
            // An import that completed meanwhile dropped the version read: match again against the new one.
            if ((await store.Vulnerabilities.CurrentAsync(cancellationToken))?.Version != database.Version)
            {
                continue;
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var finding in findings)
            {
                counts[finding.Severity] = counts.GetValueOrDefault(finding.Severity) + 1;
            }

            return new ScanResult(
                ScanStatus.Complete,
                "The scan was completed successfully.",
                time.GetUtcNow(),
                database.UpdatedAt ?? database.ImportedAt,
                counts,
                ScanJson.Findings(findings));
        }

        return Done(ScanStatus.Failed, "The vulnerability database changed during the scan three times; scan again.");
    }

    private ScanResult Done(string status, string description) => new(status, description, time.GetUtcNow(), null, null, null);

    private async Task<List<ScanFinding>> MatchAsync(long version, PackageInventory inventory, CancellationToken cancellationToken)
    {
        // One lookup per ecosystem; the same source package at the same version (several binaries) is one finding.
        var groups = new Dictionary<(string Ecosystem, string Name, string Version), List<InstalledPackage>>();
        foreach (var package in inventory.Packages)
        {
            var ecosystem = EcosystemOf(package, inventory.System!);
            var key = (ecosystem, package.MatchName, package.MatchVersion);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(package);
        }

        var findings = new List<ScanFinding>();
        foreach (var byEcosystem in groups.Keys.GroupBy(static k => k.Ecosystem))
        {
            var names = byEcosystem.Select(static k => k.Name).Distinct(StringComparer.Ordinal).ToList();
            var documents = await store.Vulnerabilities.FindAsync(version, byEcosystem.Key, names, cancellationToken);
            foreach (var document in documents)
            {
                if (OsvAdvisory.Parse(System.Text.Encoding.UTF8.GetBytes(document)) is not { } advisory)
                {
                    continue;
                }

                foreach (var key in byEcosystem)
                {
                    var packages = groups[key];
                    if (OsvMatcher.Match(advisory, key.Ecosystem, key.Name, key.Version, ComparerOf(packages[0].Kind)) is { } match)
                    {
                        findings.Add(Finding(advisory, match, key, packages));
                    }
                }
            }
        }

        findings.Sort(static (a, b) =>
        {
            var bySeverity = Rank(a.Severity).CompareTo(Rank(b.Severity));
            if (bySeverity != 0)
            {
                return bySeverity;
            }

            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.PackageName, b.PackageName);
        });
        return findings;
    }

    private static ScanFinding Finding(OsvAdvisory advisory, OsvMatch match, (string Ecosystem, string Name, string Version) key, List<InstalledPackage> packages)
    {
        OsvSeverity? cvss = null;
        foreach (var s in advisory.Severity)
        {
            if (s.Type is "CVSS_V3" or "CVSS_V2" && (cvss is null || (cvss.Type == "CVSS_V2" && s.Type == "CVSS_V3")))
            {
                cvss = s;
            }
        }

        var vulnerable = new List<FindingPackage>(packages.Count);
        foreach (var p in packages)
        {
            vulnerable.Add(new FindingPackage(p.Name, p.Version, p.Arch, ManagerOf(p.Kind), p.FilePath, p.LayerDigest, match.FixedIn));
        }

        return new ScanFinding(
            advisory.FindingName,
            advisory.Id,
            advisory.Summary,
            advisory.Details ?? advisory.Summary,
            advisory.References.Count > 0 ? advisory.References[0] : $"https://osv.dev/vulnerability/{advisory.Id}",
            FindingSeverity.Of(advisory, match.Affected),
            key.Name,
            key.Version,
            key.Ecosystem,
            match.FixedIn,
            cvss?.Type == "CVSS_V3" ? Cvss3.BaseScore(cvss.Score) : null,
            cvss?.Score,
            cvss?.Type == "CVSS_V3" ? cvss.Score.Split('/')[0]["CVSS:".Length..] : cvss is null ? null : "2.0",
            advisory.References,
            advisory.Aliases,
            advisory.Published,
            advisory.Modified,
            vulnerable);
    }

    private static int Rank(string severity)
    {
        for (var i = 0; i < FindingSeverity.All.Count; i++)
        {
            if (FindingSeverity.All[i] == severity)
            {
                return i;
            }
        }

        return FindingSeverity.All.Count;
    }

    private static string EcosystemOf(InstalledPackage package, Inventory.OperatingSystem system) => package.Kind switch
    {
        PackageKind.Python => "PyPI",
        PackageKind.Npm => "npm",
        _ => system.Ecosystem!,
    };

    internal static IVersionComparer ComparerOf(PackageKind kind) => kind switch
    {
        PackageKind.Dpkg => DpkgVersion.Instance,
        PackageKind.Apk => ApkVersion.Instance,
        PackageKind.Rpm => RpmVersion.Instance,
        PackageKind.Python => PythonVersion.Instance,
        _ => SemanticVersion.Instance,
    };

    // ECR's packageManager names.
    private static string ManagerOf(PackageKind kind) => kind switch
    {
        PackageKind.Python => "PYTHONPKG",
        PackageKind.Npm => "NODEPKG",
        _ => "OS",
    };
}
