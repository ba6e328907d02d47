using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Berth.Hosting;

/// <summary>
/// The memory Kestrel's sockets receive into and send from: pinned 16 KiB blocks instead of Kestrel's own 4 KiB ones.
/// </summary>
/// <remarks>
/// The socket transport receives into whatever is left of its pipe's current block, so with 4 KiB blocks a blob push
/// took one <c>recv</c> call, and a thread-pool hand-off, per 4 KiB: 65,536 calls for a 256 MiB layer (strace). Four
/// times larger blocks took a monolithic push from 1.0-1.5x to 2.1x Distribution and 16 pushes at once from 1.9x to
/// 2.2x (docs/benchmarks.md). 64 KiB blocks cut the calls further but cost small requests 5-15 % of their throughput
/// (manifest GETs reuse blocks too large to stay in the CPU caches). Freed blocks are reused last-in first-out, so the
/// next request gets one still in cache, and at most <see cref="Retained"/> are kept (1 MiB per core), so a burst of
/// connections does not keep its peak; the rest are left to the garbage collector.
/// </remarks>
internal sealed class SocketBlockPool : MemoryPool<byte>, IMemoryPoolFactory<byte>
{
    public const int BlockSize = 16 * 1024;

    internal static readonly int Retained = Environment.ProcessorCount * 64;
    private readonly ConcurrentStack<Block> _free = new();

    // Counted here: ConcurrentStack.Count walks the whole stack. Approximate under races, which only moves the bound by a few.
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    /// <summary>One pool for every listener: Kestrel asks the factory once per transport.</summary>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => this;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryPop(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block.Reuse();
        }

        return new Block(this);
    }

    /// <summary>Kestrel disposes its pool at shutdown; this one is shared and outlives any single listener.</summary>
    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        if (Volatile.Read(ref _freeCount) < Retained)
        {
            Interlocked.Increment(ref _freeCount);
            _free.Push(block);
        }
    }

    private sealed class Block(SocketBlockPool pool) : IMemoryOwner<byte>
    {
        // Pinned: the socket layer hands the address to the kernel on every call, and a pinned-heap array needs no pin.
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _returned;

        public Memory<byte> Memory => _array;

        public Block Reuse()
        {
            Volatile.Write(ref _returned, 0);
            return this;
        }

        public void Dispose()
        {
            // Returned once, even if disposed twice; a second return would hand one block to two pipes.
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool.Return(this);
            }
        }
    }
}
