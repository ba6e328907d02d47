using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>The three steps that make a file durably visible: flush its bytes, rename it atomically, flush its directory.</summary>
internal static partial class Durability
{
    private const int OpenReadOnly = 0;           // O_RDONLY
    private const int OpenCloseOnExec = 0x80000;  // O_CLOEXEC, the same value on every Linux architecture .NET runs on

    /// <summary>fsync(2) of a file's data and metadata, off the caller's thread.</summary>
    /// <remarks>
    /// .NET has no asynchronous fsync: <see cref="RandomAccess.FlushToDisk"/> blocks its thread for as long as the device
    /// takes (milliseconds, seconds on a busy disk). Running it on the thread pool frees the request's thread at the cost
    /// of one hop, though a pool thread still waits; the pool adds threads when many wait at once.
    /// </remarks>
    public static Task FlushFileAsync(SafeFileHandle file, CancellationToken cancellationToken) =>
        Task.Run(() => RandomAccess.FlushToDisk(file), cancellationToken);

    /// <summary>Makes new or renamed entries of a directory durable, off the caller's thread.</summary>
    /// <remarks>Not cancellable: once a name is visible, its durability is not optional.</remarks>
    public static Task FlushDirectoryAsync(string directory) =>
        OperatingSystem.IsLinux() ? Task.Run(() => FlushDirectory(directory), CancellationToken.None) : Task.CompletedTask;

    /// <summary>fsync(2) of a directory. Linux only: .NET cannot open a directory, so this calls libc directly.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(directory, OpenReadOnly | OpenCloseOnExec);
        if (descriptor < 0)
        {
            throw LastError("open", directory);
        }

        try
        {
            if (Fsync(descriptor) < 0)
            {
                throw LastError("fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// rename(2): atomically gives <paramref name="source"/> the name <paramref name="destination"/>, replacing any file
    /// there, so readers see the old file or the new one and never a mix.
    /// </summary>
    /// <remarks>
    /// <see cref="File.Move(string, string, bool)"/> is avoided on Linux because, across devices or where hard links are
    /// unsupported, it silently falls back to copying, which a crash could leave half done under the final name.
    /// </remarks>
    public static void Replace(string source, string destination)
    {
        if (OperatingSystem.IsLinux())
        {
            if (Rename(source, destination) < 0)
            {
                throw LastError("rename", destination);
            }
        }
        else
        {
            File.Move(source, destination, overwrite: true);
        }
    }

    private static IOException LastError(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string source, string destination);
}
