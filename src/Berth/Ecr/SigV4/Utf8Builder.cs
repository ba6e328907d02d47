using System.Buffers;
using System.Text;

namespace Berth.Ecr.SigV4;

/// <summary>Appends UTF-8 bytes into a caller-supplied buffer, moving to a pooled array only when it runs out.</summary>
internal ref struct Utf8Builder
{
    private static ReadOnlySpan<byte> LowerHexDigits => "0123456789abcdef"u8;

    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;

    public Utf8Builder(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void Append(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer[_length..]);
        _length += bytes.Length;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        var available = _buffer.Length - _length;
        if (text.Length > available / 3)
        {
            // Only count exactly when the worst case (3 bytes per UTF-16 unit) might not fit.
            var needed = Encoding.UTF8.GetByteCount(text);
            if (needed > available)
            {
                Grow(needed);
            }
        }

        _length += Encoding.UTF8.GetBytes(text, _buffer[_length..]);
    }

    public void AppendLowerHex(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length * 2 > _buffer.Length - _length)
        {
            Grow(bytes.Length * 2);
        }

        foreach (var b in bytes)
        {
            _buffer[_length++] = LowerHexDigits[b >> 4];
            _buffer[_length++] = LowerHexDigits[b & 0xF];
        }
    }

    /// <summary>Drops everything written from <paramref name="length"/> on.</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Zeroes what was written, since it may hold a secret, and starts over.</summary>
    public void Clear()
    {
        _buffer[.._length].Clear();
        _length = 0;
    }

    public void Dispose()
    {
        var rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Grow(int additional)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + additional));
        _buffer[.._length].CopyTo(next);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }

        _rented = next;
        _buffer = next;
    }
}
