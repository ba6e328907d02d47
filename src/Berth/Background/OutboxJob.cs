using Berth.Diagnostics;
using Berth.Domain;
using Berth.Domain.Outbox;

namespace Berth.Background;

/// <summary>
/// Works the outbox on one node at a time (lease <c>outbox</c>, see <see cref="JobLease"/>): claims due rows, hands
/// each to the <see cref="IOutboxHandler"/> of its kind, removes it when done and otherwise makes it due again after an
/// exponential backoff, recording the error; after <see cref="MaxAttempts"/> the handler is told it is abandoned.
/// It wakes when this process writes rows (<see cref="OutboxSignal"/>) and polls for other nodes' rows.
/// </summary>
public sealed class OutboxJob(
    IMetadataStore store,
    IEnumerable<IOutboxHandler> handlers,
    OutboxSignal signal,
    TimeProvider time,
    ILogger<OutboxJob> logger,
    JobLeases? leases = null) : BackgroundService
{
    /// <summary>Tries per message: with the backoff below, about half an hour of retrying in all.</summary>
    public const int MaxAttempts = 12;

    /// <summary>How long a claimed row stays hidden from other claims: a node that dies mid-handling frees it after this.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <summary>How often rows written by other nodes (or falling due after a backoff) are looked for.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const int Batch = 32;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(handler => handler.Kind, StringComparer.Ordinal);

    /// <summary>How long after its <paramref name="attempts"/>-th failed try a message is tried again.</summary>
    public static TimeSpan BackoffAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(attempts - 1, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = leases?.For("outbox");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Holding the lease renews itself in the background, so a held lease costs no write per wake-up.
                if (lease is not { IsHeld: true } && !await lease.MayRunAsync(logger, stoppingToken))
                {
                    await signal.WaitAsync(PollInterval * 5, stoppingToken);
                    continue;
                }

                if (await RunOnceAsync(stoppingToken) == Batch)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.OutboxRunFailed(ex);
            }

            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Handles one batch of due rows; answers how many it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await store.Outbox.ClaimDueAsync(time.GetUtcNow(), ClaimFor, Batch, cancellationToken);
        for (var i = 0; i < due.Count; i++)
        {
            try
            {
                await HandleAsync(due[i], cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync(due, i);
                throw;
            }
        }

        return due.Count;
    }

    /// <summary>
    /// At shutdown, makes the claimed rows from <paramref name="from"/> on due again at once, so the next start (or
    /// another node) sends them without waiting out <see cref="ClaimFor"/>.
    /// </summary>
    private async Task ReleaseAsync(IReadOnlyList<OutboxEntry> due, int from)
    {
        try
        {
            for (var i = from; i < due.Count; i++)
            {
                await store.Outbox.RetryAsync(due[i].Id, time.GetUtcNow(), "Interrupted by a shutdown.", CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // The claim then runs out by itself; nothing is lost.
            logger.OutboxRunFailed(ex);
        }
    }

    private async Task HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxResult result;
        if (!_handlers.TryGetValue(entry.Kind, out var handler))
        {
            // Perhaps a newer node's kind: leave it for a node that knows it, as a failure anyone can see.
            result = OutboxResult.Retry($"No handler for outbox kind '{entry.Kind}' on this node.");
        }
        else
        {
            try
            {
                result = await handler.HandleAsync(entry, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = OutboxResult.Retry($"{ex.GetType().Name}: {ex.Message}");
            }
        }

        if (result.Done)
        {
            await store.Outbox.CompleteAsync(entry.Id, cancellationToken);
            return;
        }

        var error = result.Error ?? "failed";
        if (entry.Attempts >= MaxAttempts && handler is not null)
        {
            logger.OutboxMessageAbandoned(entry.Kind, entry.Id, entry.Attempts, error);
            await handler.AbandonAsync(entry, error, cancellationToken);
            await store.Outbox.CompleteAsync(entry.Id, cancellationToken);
            return;
        }

        logger.OutboxMessageRetried(entry.Kind, entry.Id, entry.Attempts, error);
        await store.Outbox.RetryAsync(entry.Id, time.GetUtcNow() + BackoffAfter(entry.Attempts), error, cancellationToken);
    }
}
