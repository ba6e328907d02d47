using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Diagnostics;
using Berth.Domain.Outbox;

namespace Berth.Domain.Events;

/// <summary>
/// Carries out one <c>event</c> outbox message: POSTs the event's JSON to its webhook, signed with
/// <c>X-Berth-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. A 2xx answer delivers it; anything
/// else (or no answer within <see cref="Timeout"/>) is retried with the outbox's backoff. Receivers may see an event
/// twice (the outbox is at-least-once) and should de-duplicate on <c>X-Berth-Event-Id</c>.
/// </summary>
public sealed class WebhookHandler(EventOptions options, ILogger<WebhookHandler> logger) : IOutboxHandler, IDisposable
{
    public const string SignatureHeader = "X-Berth-Signature-256";
    public const string EventIdHeader = "X-Berth-Event-Id";
    public const string TimestampHeader = "X-Berth-Timestamp";

    /// <summary>How long one POST may take before it counts as a failed attempt.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout,
    };

    public string Kind => EventPublisher.Kind;

    public async Task<OutboxResult> HandleAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (Read(entry.Payload) is not { } delivery)
        {
            // Nothing can ever make an unreadable payload deliverable.
            return OutboxResult.Completed;
        }

        if (delivery.Webhook >= options.Webhooks.Count)
        {
            logger.EventWebhookGone(delivery.EventId, delivery.Webhook);
            return OutboxResult.Completed;
        }

        var webhook = options.Webhooks[delivery.Webhook];
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(webhook.Secret, body));
        request.Headers.TryAddWithoutValidation(EventIdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation(TimestampHeader, delivery.Time);
        string error;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                EventMetrics.Delivered.Add(1, EventMetrics.Tags(delivery.Webhook, delivery.Type));
                logger.EventDelivered(delivery.EventId, delivery.Type, delivery.Webhook, webhook.Url);
                return OutboxResult.Completed;
            }

            error = $"Webhook {delivery.Webhook} ({webhook.Url}) answered {(int)response.StatusCode}.";
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error = $"Webhook {delivery.Webhook} ({webhook.Url}) could not be reached: {ex.Message}";
        }

        EventMetrics.Failed.Add(1, EventMetrics.Tags(delivery.Webhook, delivery.Type));
        return OutboxResult.Retry(error);
    }

    public Task AbandonAsync(OutboxEntry entry, string lastError, CancellationToken cancellationToken)
    {
        if (Read(entry.Payload) is { } delivery)
        {
            EventMetrics.Abandoned.Add(1, EventMetrics.Tags(delivery.Webhook, delivery.Type));
            var url = delivery.Webhook < options.Webhooks.Count ? options.Webhooks[delivery.Webhook].Url : "?";
            logger.EventAbandoned(delivery.EventId, delivery.Type, delivery.Webhook, url, lastError);
        }

        return Task.CompletedTask;
    }

    /// <summary>The signature header's value for <paramref name="body"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public void Dispose() => _http.Dispose();

    private static WebhookDelivery? Read(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, EventJson.Default.WebhookDelivery);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
