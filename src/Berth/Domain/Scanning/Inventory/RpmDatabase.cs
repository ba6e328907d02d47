using System.Buffers.Binary;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Berth.Domain.Scanning.Inventory;

/// <summary>
/// rpm's SQLite database (<c>rpmdb.sqlite</c>, RHEL 9 and later, Fedora 33 and later): each row of <c>Packages</c> is
/// one package's header blob, read here for name, epoch, version, release and arch. The older Berkeley DB and NDB
/// formats are not read (those images report no rpm packages rather than a guess).
/// </summary>
public static class RpmDatabase
{
    private const int TagName = 1000, TagVersion = 1001, TagRelease = 1002, TagEpoch = 1003, TagArch = 1022;

    public static IEnumerable<InstalledPackage> Read(byte[] content, string filePath, string layer)
    {
        // SQLite opens files only: the database is copied out for the read and removed after.
        var temp = Path.Combine(Path.GetTempPath(), $"berth-rpmdb-{Guid.NewGuid():N}.sqlite");
        File.WriteAllBytes(temp, content);
        try
        {
            var packages = new List<InstalledPackage>();
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT blob FROM Packages ORDER BY hnum";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    if (Parse((byte[])reader.GetValue(0), filePath, layer) is { } package)
                    {
                        packages.Add(package);
                    }
                }
            }

            return packages;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>One header: entry count, data length, 16-byte index entries (tag, type, offset, count), then data.</summary>
    internal static InstalledPackage? Parse(ReadOnlySpan<byte> header, string filePath, string layer)
    {
        if (header.Length < 8)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(header);
        var dataLength = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var dataStart = 8 + (count * 16);
        if (count < 0 || dataLength < 0 || dataStart + dataLength > header.Length)
        {
            return null;
        }

        var data = header.Slice(dataStart, dataLength);
        string? name = null, version = null, release = null, arch = null;
        int? epoch = null;
        for (var i = 0; i < count; i++)
        {
            var entry = header.Slice(8 + (i * 16), 16);
            var tag = BinaryPrimitives.ReadInt32BigEndian(entry);
            var type = BinaryPrimitives.ReadInt32BigEndian(entry[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            if (offset < 0 || offset >= data.Length)
            {
                continue;
            }

            if (tag == TagEpoch && type == 4 && offset + 4 <= data.Length)
            {
                epoch = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
                continue;
            }

            if (type != 6)
            {
                continue;
            }

            var end = data[offset..].IndexOf((byte)0);
            var text = Encoding.UTF8.GetString(end < 0 ? data[offset..] : data.Slice(offset, end));
            switch (tag)
            {
                case TagName: name = text; break;
                case TagVersion: version = text; break;
                case TagRelease: release = text; break;
                case TagArch: arch = text; break;
            }
        }

        if (name is null || version is null || name == "gpg-pubkey")
        {
            return null;
        }

        var evr = (epoch is { } e && e != 0 ? $"{e}:" : string.Empty) + version + (release is null ? string.Empty : $"-{release}");
        return new InstalledPackage(PackageKind.Rpm, name, evr, arch, filePath, layer);
    }
}
