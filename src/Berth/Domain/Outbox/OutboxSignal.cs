namespace Berth.Domain.Outbox;

/// <summary>
/// Wakes this process's outbox worker when a write here has just added rows, so work starts within milliseconds
/// instead of at the next poll (other nodes' rows are found by polling).
/// </summary>
public sealed class OutboxSignal : WakeSignal
{
    /// <summary>Tells the worker rows are waiting; several notifications before it wakes count as one.</summary>
    public void Notify() => Wake();
}
