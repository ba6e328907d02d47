namespace Berth.Domain.Scanning;

/// <summary>Wakes the scanning job when this process queues a scan, so it starts at once instead of at its next poll.</summary>
public sealed class ScanQueue : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
