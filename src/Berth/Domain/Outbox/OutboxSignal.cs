namespace Berth.Domain.Outbox;

/// <summary>
/// Wakes this process's outbox worker when a write here has just added rows, so work starts within milliseconds
/// instead of at the next poll (other nodes' rows are found by polling).
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    /// <summary>Tells the worker rows are waiting; several notifications before it wakes count as one.</summary>
    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled and not yet taken: the worker will see every row when it wakes.
        }
    }

    public void Dispose() => _pending.Dispose();

    /// <summary>Waits for a notification or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
