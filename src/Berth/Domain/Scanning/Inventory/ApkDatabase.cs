using System.Text;

namespace Berth.Domain.Scanning.Inventory;

/// <summary>
/// apk's installed database (<c>/lib/apk/db/installed</c>): blank-line separated records of one-letter fields;
/// <c>P</c> package, <c>V</c> version, <c>A</c> arch, <c>o</c> origin (the source package Alpine's advisories name).
/// </summary>
public static class ApkDatabase
{
    public static IEnumerable<InstalledPackage> Read(ReadOnlySpan<byte> content, string filePath, string layer)
    {
        var packages = new List<InstalledPackage>();
        string? name = null, version = null, arch = null, origin = null;
        foreach (var raw in (Encoding.UTF8.GetString(content) + "\n\n").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (name is not null && version is not null)
                {
                    packages.Add(new InstalledPackage(PackageKind.Apk, name, version, arch, filePath, layer)
                    {
                        SourceName = origin is not null && origin != name ? origin : null,
                    });
                }

                name = version = arch = origin = null;
                continue;
            }

            if (line.Length < 2 || line[1] != ':')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'P': name = value; break;
                case 'V': version = value; break;
                case 'A': arch = value; break;
                case 'o': origin = value; break;
            }
        }

        return packages;
    }
}
