using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Writes a transfer's buffers into one file: aligned blocks directly, the rest through the page cache, hashing each
/// buffer while its direct write is in flight.
/// </summary>
internal sealed class BlockWriter(SafeFileHandle file)
{
    private const int BlockMask = DirectIo.Alignment - 1;

    // Unknown until the first aligned write asks; false for good once the filesystem refuses direct I/O.
    private bool? _directPossible;
    private bool _direct;

    public bool Buffered { get; init; }

    public bool StartWriteback { get; init; }

    /// <summary>Writes <paramref name="data"/> (whose start is aligned in memory) at <paramref name="position"/>.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, long position, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var directLength = (position & BlockMask) == 0 && !Buffered ? data.Length & ~BlockMask : 0;
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
            directLength = 0;
            hash?.AppendData(data.Span);
        }

        if (directLength < data.Length)
        {
            SetDirect(false);
            await RandomAccess.WriteAsync(file, data[directLength..], position + directLength, cancellationToken);
            if (StartWriteback)
            {
                DirectIo.StartWriteback(file, position, data.Length);
            }
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
