using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Hosting;

/// <summary>
/// A connection's output that passes every byte through, except that after <see cref="Reject"/> it holds what
/// Kestrel writes next and, when that is Kestrel's bodiless 4xx refusal, sends it with the protocol's error body
/// (<see cref="RejectionBody"/>) instead.
/// </summary>
internal sealed class RejectionResponseWriter(PipeWriter inner) : PipeWriter
{
    // Kestrel's refusal is a status line and four short headers; anything longer is not one.
    private const int MaxRefusalHead = 1024;

    private Rejection? _rejection;
    private ArrayBufferWriter<byte>? _held;
    private bool _holding;

    /// <summary>Marks the connection: Kestrel is about to write its refusal of <paramref name="rejection"/>.</summary>
    public void Reject(Rejection rejection) => Volatile.Write(ref _rejection, rejection);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _holding = Volatile.Read(ref _rejection) is not null;
        if (!_holding)
        {
            return inner.GetMemory(sizeHint);
        }

        _held ??= new ArrayBufferWriter<byte>(MaxRefusalHead);
        return _held.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_holding)
        {
            _held!.Advance(bytes);
        }
        else
        {
            inner.Advance(bytes);
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return inner.FlushAsync(cancellationToken);
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        await inner.CompleteAsync(exception);
    }

    /// <summary>Sends what was held: rewritten when it is the refusal, else as it was.</summary>
    private void Release()
    {
        if (_held is not { WrittenCount: > 0 } held)
        {
            return;
        }

        var rejection = Interlocked.Exchange(ref _rejection, null);
        var bytes = held.WrittenSpan;
        if (rejection is not null && bytes.Length <= MaxRefusalHead && RejectionBody.TryRewrite(bytes, rejection) is { } rewritten)
        {
            inner.Write(rewritten);
        }
        else
        {
            inner.Write(bytes);
        }

        held.ResetWrittenCount();
        _holding = false;
    }
}
