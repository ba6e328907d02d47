using Berth.Hosting;

namespace Berth.Tests.Hosting;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Grows_past_its_first_buffer_and_keeps_every_byte_in_order()
    {
        using var writer = new PooledBufferWriter(initialSize: 16);
        var expected = new List<byte>();
        for (var i = 0; i < 1000; i++)
        {
            var span = writer.GetSpan(7);
            Assert.True(span.Length >= 7);
            for (var j = 0; j < 7; j++)
            {
                span[j] = (byte)(i + j);
                expected.Add((byte)(i + j));
            }

            writer.Advance(7);
        }

        Assert.Equal(expected, writer.WrittenMemory.ToArray());
    }

    [Fact]
    public void Advancing_past_the_buffer_is_refused_and_a_disposed_writer_cannot_be_used()
    {
        var writer = new PooledBufferWriter(initialSize: 16);
        var length = writer.GetSpan().Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(length + 1));
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
        Assert.True(writer.WrittenMemory.IsEmpty);
    }
}
