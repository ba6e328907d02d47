namespace Berth.Domain;

/// <summary>
/// Wakes one background worker of this process at once instead of at its next poll. Several wakes before the worker
/// waits count as one: a worker takes all its pending work each time it runs.
/// </summary>
public class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Wake()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken and not yet taken.
        }
    }

    public void Dispose()
    {
        _pending.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Waits for a wake or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
