using Berth.Hosting;

namespace Berth.Ecr;

/// <summary>Reads a bounded request body into a buffer from <see cref="RequestBuffers"/>; the caller returns it with <see cref="Dispose"/>.</summary>
public sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = RequestBuffers.Rent((int)(request.ContentLength ?? 4096) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        RequestBuffers.Return(buffer);
                        return null;
                    }

                    var larger = RequestBuffers.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    RequestBuffers.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    RequestBuffers.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            RequestBuffers.Return(buffer);
            throw;
        }

        return new RequestBody(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            RequestBuffers.Return(_buffer);
            _buffer = [];
        }
    }
}
