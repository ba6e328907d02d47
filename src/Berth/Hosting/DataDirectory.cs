namespace Berth.Hosting;

/// <summary>
/// Keeps the data dir and its secret-bearing files readable by their owner only, since they hold keys, secrets and
/// every blob; modes are set on existing paths too, so a directory made by hand (or by an older Berth) is tightened.
/// </summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory owner-only, or makes the existing one owner-only.</summary>
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        if (File.GetUnixFileMode(path) != OwnerOnlyDirectory)
        {
            File.SetUnixFileMode(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Makes an existing file owner-only (read and write); a missing one is left alone.</summary>
    public static void RestrictFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            return;
        }

        if (File.GetUnixFileMode(path) != OwnerOnlyFile)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    /// <summary>
    /// Prepares an SQLite database file before SQLite opens it: created empty and owner-only when missing (SQLite takes
    /// an empty file as a new database, and gives its WAL and shared-memory files the database's mode), tightened when
    /// it exists, with any WAL and shared-memory files beside it.
    /// </summary>
    public static void EnsureDatabaseFile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        // Only a missing directory is made here: a database placed in a directory of its own choosing keeps that
        // directory's mode; the data dir itself is tightened by Ensure.
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists already (or another process has just made it).
        }

        RestrictFile(path);
        RestrictFile(path + "-wal");
        RestrictFile(path + "-shm");
    }
}
