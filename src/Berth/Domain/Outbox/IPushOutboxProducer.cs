using Berth.Domain.Images;

namespace Berth.Domain.Outbox;

/// <summary>
/// Something that follows every successful manifest push (both protocols go through
/// <see cref="ManifestService.PutAsync(RepositoryKey, ReadOnlyMemory{byte}, string?, string?, Digest?, CancellationToken)"/>): it names the outbox messages the push causes, which the push's own
/// transaction then writes. Replication is one; registry events can be another.
/// </summary>
public interface IPushOutboxProducer
{
    /// <summary>The messages for a push of <paramref name="digest"/> (tagged <paramref name="tag"/> when given) to <paramref name="repository"/>; empty for none.</summary>
    ValueTask<IReadOnlyList<OutboxMessage>> MessagesForPushAsync(RepositoryKey repository, Digest digest, string? tag, CancellationToken cancellationToken);
}
