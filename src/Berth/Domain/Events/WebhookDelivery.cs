using System.Text.Json.Serialization;

namespace Berth.Domain.Events;

/// <summary>
/// The payload of one <c>event</c> outbox row: one event for one webhook (by its index in
/// <see cref="EventOptions.Webhooks"/>), with the body already written so every retry sends the same bytes and id.
/// </summary>
public sealed record WebhookDelivery(int Webhook, string EventId, string Type, string Time, string Body);

[JsonSerializable(typeof(WebhookDelivery))]
internal sealed partial class EventJson : JsonSerializerContext;
