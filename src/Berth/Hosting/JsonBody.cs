using System.Text.Json;

namespace Berth.Hosting;

/// <summary>Writes a JSON response body with its Content-Length, for both protocols.</summary>
/// <remarks>
/// The document is built in a pooled buffer first, so the response carries a Content-Length instead of chunked
/// encoding (as AWS and registries send it) and leaves in one write; chunked framing cost measurable throughput on
/// small answers (docs/benchmarks.md).
/// </remarks>
internal static class JsonBody
{
    public static async Task WriteAsync<TState>(
        HttpResponse response, string contentType, TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        response.ContentType = contentType;
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        response.ContentLength = buffer.WrittenMemory.Length;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }
}
