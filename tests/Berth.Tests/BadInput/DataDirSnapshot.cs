using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Berth.Tests.BadInput;

/// <summary>
/// Everything a request could have changed in a data dir: every row of every metadata table, and the path and hash of
/// every other file (blobs, uploads, staging, keys). The audit log is left out: refusals are meant to add to it.
/// </summary>
public sealed class DataDirSnapshot
{
    private static readonly string[] Ignored = ["audit.log", "serve.lock", "berth.db", "berth.db-wal", "berth.db-shm"];

    private readonly SortedSet<string> _lines;

    private DataDirSnapshot(SortedSet<string> lines) => _lines = lines;

    /// <summary>
    /// Takes the snapshot, waiting while the server still holds a file locked: after a client hangs up, the server may
    /// still be rolling its request back.
    /// </summary>
    public static async Task<DataDirSnapshot> TakeAsync(string dataDir)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return Take(dataDir);
            }
            catch (IOException) when (attempt < 250)
            {
                await Task.Delay(20);
            }
        }
    }

    private static DataDirSnapshot Take(string dataDir)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        ReadTables(dataDir, lines);
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(dataDir, file);
            if (Array.IndexOf(Ignored, relative) >= 0)
            {
                continue;
            }

            lines.Add($"file {relative} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))}");
        }

        return new DataDirSnapshot(lines);
    }

    /// <summary>The lines only one side has, "-" for removed and "+" for added; empty when nothing changed.</summary>
    public string DifferenceFrom(DataDirSnapshot before)
    {
        var text = new StringBuilder();
        foreach (var line in before._lines.Except(_lines))
        {
            text.Append("- ").AppendLine(line);
        }

        foreach (var line in _lines.Except(before._lines))
        {
            text.Append("+ ").AppendLine(line);
        }

        return text.ToString();
    }

    private static void ReadTables(string dataDir, SortedSet<string> lines)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "berth.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var row = new StringBuilder("row ").Append(table);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(' ').Append(reader.GetName(i)).Append('=').Append(Format(reader.GetValue(i)));
                }

                lines.Add(row.ToString());
            }
        }
    }

    private static string Format(object value) => value switch
    {
        DBNull => "null",
        byte[] bytes => Convert.ToHexStringLower(SHA256.HashData(bytes)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
