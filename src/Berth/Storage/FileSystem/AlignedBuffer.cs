using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Berth.Storage.FileSystem;

/// <summary>
/// A native buffer aligned for direct I/O. Rented from a small pool: fresh memory costs page faults on every transfer,
/// and a pooled buffer keeps a push's memory flat at one buffer whatever the blob's size.
/// </summary>
internal sealed unsafe class AlignedBuffer : MemoryManager<byte>
{
    public const int Size = 1024 * 1024;

    // Enough for many concurrent transfers of two buffers each; more are freed on return. Allocated only on demand.
    private static readonly int Retained = Math.Max(Environment.ProcessorCount * 4, 32);
    private static readonly ConcurrentQueue<AlignedBuffer> Pool = new();

    private byte* _pointer;

    private AlignedBuffer()
    {
        _pointer = (byte*)NativeMemory.AlignedAlloc(Size, DirectIo.Alignment);
    }

    public static AlignedBuffer Rent() => Pool.TryDequeue(out var buffer) ? buffer : new AlignedBuffer();

    /// <summary>Gives the buffer back for the next transfer; it must not be used after this.</summary>
    public void Return()
    {
        if (Pool.Count < Retained)
        {
            Pool.Enqueue(this);
        }
        else
        {
            ((IDisposable)this).Dispose();
        }
    }

    public override Span<byte> GetSpan() => new(_pointer, Size);

    // Native memory never moves, so pinning is free.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Size);
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
