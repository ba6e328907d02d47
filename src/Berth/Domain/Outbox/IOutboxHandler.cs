namespace Berth.Domain.Outbox;

/// <summary>
/// Carries out the outbox messages of one <see cref="Kind"/>. A message may be handled more than once (a node can
/// die after the work and before the row is removed), so handling must be idempotent.
/// </summary>
public interface IOutboxHandler
{
    /// <summary>The <see cref="OutboxMessage.Kind"/> this handler takes.</summary>
    string Kind { get; }

    /// <summary>Does the work; the answer says whether the row is done or should be tried again later.</summary>
    Task<OutboxResult> HandleAsync(OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Called once when the worker stops retrying a message (its attempts are spent), with the last error.</summary>
    Task AbandonAsync(OutboxEntry entry, string lastError, CancellationToken cancellationToken);
}

/// <summary>What handling one message came to.</summary>
public readonly record struct OutboxResult(bool Done, string? Error)
{
    /// <summary>The work is finished (successfully, or failed for good and recorded by the handler).</summary>
    public static OutboxResult Completed { get; } = new(true, null);

    /// <summary>The work failed for a reason that may pass; the worker tries again after a backoff.</summary>
    public static OutboxResult Retry(string error) => new(false, error);
}
