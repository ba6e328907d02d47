using System.Buffers;

namespace Berth.Storage.S3;

/// <summary>
/// Sends the parts of one multipart upload a few at a time, so the next part is read (and hashed) while earlier ones
/// are still on the wire. Each part is a buffer rented from the shared pool and handed over whole; memory is bounded by
/// <see cref="InFlight"/> such buffers plus the one the caller is filling.
/// </summary>
internal sealed class S3PartSender(S3Bucket bucket, string key, string multipartId, CancellationToken cancellationToken) : IAsyncDisposable
{
    /// <summary>UploadPart requests sent at once by one put: enough to keep S3 busy while the next part is read.</summary>
    public const int InFlight = 3;

    private readonly Queue<(Task<S3UploadPart> Send, byte[] Buffer)> _sending = new();
    private readonly List<S3UploadPart> _parts = [];

    // Cancels the parts still in flight once the put is given up, or with the put's own token.
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    public int Count => _parts.Count + _sending.Count;

    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="buffer"/> as the next part and takes ownership of the
    /// buffer (it goes back to the pool once sent). Waits first for the oldest part when <see cref="InFlight"/> are out.
    /// </summary>
    public async ValueTask SendAsync(byte[] buffer, int length)
    {
        try
        {
            if (Count == S3Bucket.MaxParts)
            {
                throw new InvalidOperationException($"A blob may hold at most {(long)S3Bucket.MaxParts * S3BlobStore.PartSize} bytes in S3.");
            }

            if (_sending.Count == InFlight)
            {
                await ReceiveOldestAsync();
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        // On the thread pool: the SDK checksums the part before its first await, which then overlaps the next read.
        var number = Count + 1;
        var token = _stop.Token;
        _sending.Enqueue((Task.Run(() => bucket.UploadPartAsync(key, multipartId, number, buffer.AsMemory(0, length), token).AsTask(), CancellationToken.None), buffer));
    }

    /// <summary>Every part, in order, once all are sent.</summary>
    public async ValueTask<IReadOnlyList<S3UploadPart>> FinishAsync()
    {
        while (_sending.Count > 0)
        {
            await ReceiveOldestAsync();
        }

        return _parts;
    }

    /// <summary>Stops the parts still in flight and waits for them, so no buffer goes back to the pool while S3 reads it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        while (_sending.TryDequeue(out var sending))
        {
            try
            {
                await sending.Send;
            }
            catch (Exception)
            {
                // The put has failed already; this part's fate no longer matters (the multipart upload is aborted).
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sending.Buffer);
            }
        }

        _stop.Dispose();
    }

    private async ValueTask ReceiveOldestAsync()
    {
        var (send, buffer) = _sending.Peek();
        try
        {
            _parts.Add(await send);
        }
        finally
        {
            // A failed part leaves the queue too; the put fails with its error.
            _sending.Dequeue();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
