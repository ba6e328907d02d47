namespace Berth.Domain.Outbox;

/// <summary>
/// Work to do after a write commits, written in that write's transaction: <paramref name="Kind"/> picks the
/// <see cref="IOutboxHandler"/>, <paramref name="Subject"/> names what it is about (so a reader can find pending work
/// for one image) and <paramref name="Payload"/> is the handler's own JSON.
/// </summary>
public sealed record OutboxMessage(string Kind, string Subject, string Payload);

/// <summary>An outbox row: a message with its id, when it was written, how often it was tried and why it last failed.</summary>
public sealed record OutboxEntry(long Id, string Kind, string Subject, string Payload, DateTimeOffset CreatedAt, int Attempts, string? LastError)
{
    public OutboxMessage Message => new(Kind, Subject, Payload);
}
