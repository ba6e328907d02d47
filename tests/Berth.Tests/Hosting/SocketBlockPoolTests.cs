using System.Buffers;
using System.Reflection;
using System.Runtime.InteropServices;
using Berth.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Hosting;

/// <summary>The sockets' block pool: its block size, reuse, the bound on what it keeps, and that Kestrel takes it.</summary>
public sealed class SocketBlockPoolTests
{
    [Fact]
    public void Blocks_are_16_KiB_and_a_larger_request_is_refused()
    {
        var pool = new SocketBlockPool();
        using var block = pool.Rent(100);
        Assert.Equal(SocketBlockPool.BlockSize, block.Memory.Length);
        Assert.Equal(16 * 1024, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(SocketBlockPool.BlockSize + 1));
    }

    [Fact]
    public void The_block_returned_last_is_rented_next_and_a_second_dispose_does_not_return_it_twice()
    {
        var pool = new SocketBlockPool();
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();
        first.Dispose();

        using var again = pool.Rent();
        using var other = pool.Rent();
        Assert.Same(array, ArrayOf(again));
        Assert.NotSame(array, ArrayOf(other));
    }

    [Fact]
    public void At_most_the_retained_number_of_blocks_is_kept()
    {
        var pool = new SocketBlockPool();
        var rented = Enumerable.Range(0, SocketBlockPool.Retained + 10).Select(_ => pool.Rent()).ToList();
        var arrays = rented.Select(ArrayOf).ToHashSet(ReferenceEqualityComparer.Instance);
        rented.ForEach(block => block.Dispose());

        var reused = Enumerable.Range(0, SocketBlockPool.Retained + 10).Select(_ => ArrayOf(pool.Rent())).Count(arrays.Contains);
        Assert.Equal(SocketBlockPool.Retained, reused);
    }

    [Fact]
    public async Task The_server_s_socket_transport_takes_its_memory_from_the_pool()
    {
        await using var app = BerthApp.CreateBuilder(new ConfigurationBuilder().Build()).Build();
        Assert.IsType<SocketBlockPool>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

        // The transport reads the factory from its options (an internal property, set from the container).
        var options = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        var property = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotNull(property);
        Assert.IsType<SocketBlockPool>(property.GetValue(options));
    }

    private static byte[] ArrayOf(IMemoryOwner<byte> block)
    {
        Assert.True(MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment));
        return segment.Array!;
    }
}
