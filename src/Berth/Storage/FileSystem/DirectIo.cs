using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>Switches <c>O_DIRECT</c> on and off for an open file, so blob bytes can skip the page cache.</summary>
/// <remarks>
/// Through the page cache every byte is copied into fresh cache pages and written again by fsync; direct writes skip
/// that copy, but leave nothing cached, so a pull right after the push reads the disk. Blobs are therefore written
/// through the page cache with their writeback started as they go (<see cref="StartWriteback"/>), and only transfers
/// declared larger than <see cref="FileSystemBlobStore.DirectWriteThreshold"/>, or starting while the store is busy
/// (<see cref="FileSystemBlobStore.BusyTransfers"/>), directly. Direct writes need the file
/// offset, the length and the buffer address aligned to <see cref="Alignment"/>, so callers write whole aligned blocks
/// directly and the odd head or tail through the page cache. Where the filesystem or platform has no direct I/O (tmpfs
/// before Linux 6.6, FUSE, Windows, macOS) <see cref="TrySet"/> reports false and writes stay buffered.
/// </remarks>
internal static partial class DirectIo
{
    /// <summary>The alignment every direct write keeps: the page size, which covers every common logical block size.</summary>
    public const int Alignment = 4096;

    private const int GetFlags = 3; // F_GETFL
    private const int SetFlags = 4; // F_SETFL
    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE

    // O_DIRECT is one of the few open flags whose value differs between Linux architectures.
    private static readonly int DirectFlag = !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0,
    };

    private static bool IsSupported => DirectFlag != 0;

    /// <summary>Turns direct I/O on or off for the file; false when it cannot (the file then stays as it was).</summary>
    public static bool TrySet(SafeFileHandle file, bool direct)
    {
        if (!IsSupported)
        {
            return !direct;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            var descriptor = (int)file.DangerousGetHandle();
            var flags = Fcntl(descriptor, GetFlags, 0);
            if (flags < 0)
            {
                return false;
            }

            var wanted = direct ? flags | DirectFlag : flags & ~DirectFlag;
            return wanted == flags || Fcntl(descriptor, SetFlags, wanted) == 0;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>Starts writeback of a written range without waiting for it (sync_file_range, SYNC_FILE_RANGE_WRITE).</summary>
    /// <remarks>A hint only: durability still comes from the fsync, so a failure here is ignored (it fails there).</remarks>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int descriptor, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
