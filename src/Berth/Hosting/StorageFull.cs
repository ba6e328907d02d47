using Microsoft.Data.Sqlite;

namespace Berth.Hosting;

/// <summary>
/// Recognises a write that failed because the disk is full, so both protocols can say so instead of answering a
/// bare internal error: the client learns to retry later, the operator learns what to free.
/// </summary>
public static class StorageFull
{
    public const string Message = "the registry's storage is full; the request was not applied. Deleting images and running garbage collection frees space";

    private const int UnixNoSpace = 28; // ENOSPC
    private const int WindowsDiskFull = unchecked((int)0x80070070); // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL
    private const int SqliteFull = 13; // SQLITE_FULL

    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: UnixNoSpace or WindowsDiskFull or WindowsHandleDiskFull }
                || e is SqliteException { SqliteErrorCode: SqliteFull })
            {
                return true;
            }
        }

        return false;
    }
}
