using System.Text.Json;

namespace Berth.Hosting;

/// <summary>
/// A JSON response body that may grow large: it is built in a pooled buffer and sent with a Content-Length while it
/// stays small (as <see cref="JsonBody"/> sends every answer), and once it passes <see cref="FlushThreshold"/> the
/// response starts, chunked, and each further part is sent as it is written, so the server never holds the whole.
/// </summary>
internal sealed class StreamedJsonBody : IDisposable
{
    /// <summary>Up to this many bytes an answer is kept whole, so small answers keep their Content-Length.</summary>
    public const int FlushThreshold = 1024 * 1024;

    private readonly HttpResponse _response;
    private readonly PooledBufferWriter _buffer = new();

    public StreamedJsonBody(HttpResponse response, string contentType)
    {
        _response = response;
        _response.ContentType = contentType;
        Writer = new Utf8JsonWriter(_buffer);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Whether part of the body is on the wire, so an error can no longer be answered in its place.</summary>
    public bool Started { get; private set; }

    /// <summary>Sends what is written so far when it is past the threshold, waiting while the client is slower.</summary>
    public async ValueTask FlushIfLargeAsync(CancellationToken cancellationToken)
    {
        Writer.Flush();
        if (_buffer.WrittenMemory.Length < FlushThreshold)
        {
            return;
        }

        Started = true;
        await _response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
        _buffer.Clear();
    }

    /// <summary>Sends the rest: the whole body with its Content-Length if nothing was sent yet.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Writer.Flush();
        if (!Started)
        {
            _response.ContentLength = _buffer.WrittenMemory.Length;
        }

        Started = true;
        await _response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
    }

    public void Dispose()
    {
        Writer.Dispose();
        _buffer.Dispose();
    }
}
