using Berth.Hosting;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Room kept free beside the database so that deletes and garbage collection can run on a full disk.
/// </summary>
/// <remarks>
/// SQLite needs space to delete: the rows leave through its write-ahead log, which grows (or is created, when a
/// command opens the database with no server running). A full disk is exactly when deletes must work, so a file of
/// <see cref="DefaultBytes"/> is preallocated next to the database; a write that frees space and fails for lack of
/// room releases it and runs once more. Writes that add data never release it, so a push cannot eat the room a
/// delete needs. The file is taken back after a freeing write once the disk has room for it twice over. PRAGMA
/// settings alone cannot do this: they bound the log, but nothing makes SQLite find room that is not there.
/// </remarks>
internal sealed class SpaceReserve(string path, long bytes)
{
    /// <summary>Enough for the log of a batch of deletes and a garbage collection's marks between checkpoints.</summary>
    public const long DefaultBytes = 4L * 1024 * 1024;

    public string Path => path;

    /// <summary>Whether <paramref name="exception"/> says the disk (or SQLite's file on it) is out of room.</summary>
    public static bool IsOutOfSpace(Exception exception) =>
        StorageFull.Is(exception)
        // SQLite reports a write its log could not grow into as an I/O error as often as SQLITE_FULL (tmpfs, mmap'd -shm).
        || exception is SqliteException { SqliteErrorCode: 10 };

    /// <summary>Deletes the reserve; false when there was none to release.</summary>
    public bool TryRelease()
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Takes the reserve (back) when it is missing and the disk has room for it twice over.</summary>
    public void TryRestore()
    {
        if (bytes <= 0 || File.Exists(path))
        {
            return;
        }

        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            if (new DriveInfo(directory).AvailableFreeSpace < 2 * bytes)
            {
                return;
            }

            // Written, not only preallocated: a sparse or lazily allocated file would hold no room at all.
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            var zeros = new byte[64 * 1024];
            for (long written = 0; written < bytes; written += zeros.Length)
            {
                stream.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
            }

            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not enough room after all, or the file system says nothing of its space: run without a reserve for now.
            TryRelease();
        }
    }
}
