using Berth.Domain.Outbox;

namespace Berth.Domain;

/// <summary>
/// The durable outbox: work written with the change that causes it (see <see cref="IImageStore.PutImageAsync(RepositoryKey, Images.ImageRecord, ReadOnlyMemory{byte}, IReadOnlyList{Images.ImageReference}, string?, IReadOnlyList{OutboxMessage}, CancellationToken)"/>),
/// claimed by one worker at a time and kept until done. Each method is one transaction.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Adds messages on their own, due at once.</summary>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> rows due at <paramref name="now"/>, oldest due first, each with its attempt count
    /// raised by one and hidden until <paramref name="now"/> + <paramref name="claimFor"/>, so a worker that dies while
    /// handling one leaves it to be claimed again.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a handled row; false when it was already gone.</summary>
    Task<bool> CompleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>Makes the row due again at <paramref name="dueAt"/>, recording <paramref name="error"/>.</summary>
    Task RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>The rows of one kind about one subject, oldest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(string kind, string subject, CancellationToken cancellationToken);

    /// <summary>When the next row falls due (perhaps already), or null when the outbox is empty.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);
}
