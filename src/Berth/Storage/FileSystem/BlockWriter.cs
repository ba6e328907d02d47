using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Writes a transfer's buffers into one file, hashing each buffer while its write is in flight: with
/// <paramref name="allowDirect"/>, aligned blocks directly and the rest through the page cache; without, all through the page
/// cache, each buffer's writeback started as soon as it is written so that the publishing fsync finds little left to do.
/// </summary>
internal sealed class BlockWriter(SafeFileHandle file, bool allowDirect)
{
    private const int BlockMask = DirectIo.Alignment - 1;

    // Unknown until the first aligned write asks; false for good once the filesystem refuses direct I/O.
    private bool? _directPossible;
    private bool _direct;

    /// <summary>Writes <paramref name="data"/> (whose start is aligned in memory) at <paramref name="position"/>.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, long position, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var directLength = allowDirect && (position & BlockMask) == 0 ? data.Length & ~BlockMask : 0;
        if (directLength > 0 && SetDirect(true))
        {
            var write = RandomAccess.WriteAsync(file, data[..directLength], position, cancellationToken);
            try
            {
                hash?.AppendData(data.Span);
            }
            finally
            {
                await CompleteDirectAsync(write, data[..directLength], position, cancellationToken);
            }
        }
        else
        {
            // The copy into the page cache runs on a pool thread while this one hashes.
            SetDirect(false);
            var write = RandomAccess.WriteAsync(file, data, position, cancellationToken);
            try
            {
                hash?.AppendData(data.Span);
            }
            finally
            {
                await write;
            }

            // The pages stay cached (a first pull right after the push reads them from memory) but are clean by the
            // fsync, which would otherwise write the whole blob at the end while the client waits.
            DirectIo.StartWriteback(file, position, data.Length);
            return;
        }

        if (directLength < data.Length)
        {
            SetDirect(false);
            await RandomAccess.WriteAsync(file, data[directLength..], position + directLength, cancellationToken);
        }
    }

    /// <summary>Leaves the file buffered, as the caller opened it, for whoever uses the handle next.</summary>
    public void Finish() => SetDirect(false);

    private async ValueTask CompleteDirectAsync(ValueTask write, ReadOnlyMemory<byte> data, long position, CancellationToken cancellationToken)
    {
        try
        {
            await write;
        }
        catch (IOException)
        {
            // Some filesystems accept O_DIRECT but not this alignment: write buffered from now on. A real I/O error
            // fails again below and reaches the caller.
            _directPossible = false;
            SetDirect(false);
            await RandomAccess.WriteAsync(file, data, position, cancellationToken);
        }
    }

    private bool SetDirect(bool direct)
    {
        if (direct == _direct)
        {
            return true;
        }

        if (direct && _directPossible == false)
        {
            return false;
        }

        var changed = DirectIo.TrySet(file, direct);
        if (direct)
        {
            _directPossible = changed;
        }

        _direct = changed ? direct : _direct;
        return changed;
    }
}
