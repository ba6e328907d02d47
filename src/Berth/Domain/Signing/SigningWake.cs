namespace Berth.Domain.Signing;

/// <summary>Tells the background signer that a push queued work, so it signs now instead of at its next poll.</summary>
public sealed class SigningWake : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        // One pending wake is enough: the signer takes every queued job when it runs.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a wake or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
