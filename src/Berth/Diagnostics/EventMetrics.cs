using System.Diagnostics.Metrics;
using Berth.Diagnostics.Metrics;

namespace Berth.Diagnostics;

/// <summary>
/// Webhook delivery counters, tagged by webhook index and event type, on Berth's meter (<see cref="BerthMetrics.Meter"/>),
/// which <c>/metrics</c> exports.
/// </summary>
public static class EventMetrics
{
    private static Meter Meter => BerthMetrics.Meter;

    public static readonly Counter<long> Delivered = Meter.CreateCounter<long>("berth.events.delivered", "{event}", "Events a webhook accepted (2xx)");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("berth.events.failed", "{attempt}", "Delivery attempts that failed and will be retried");

    public static readonly Counter<long> Abandoned = Meter.CreateCounter<long>("berth.events.abandoned", "{event}", "Events given up on after the outbox's last attempt");

    public static KeyValuePair<string, object?>[] Tags(int webhook, string type) =>
        [new("webhook", webhook), new("type", type)];
}
