namespace Berth.Hosting;

/// <summary>Where <c>/metrics</c> is served: on every listener, on none, or only on a listener of its own (<see cref="Address"/>).</summary>
public sealed record MetricsExposure(bool Enabled, Uri? Address)
{
    public static MetricsExposure OnEveryListener { get; } = new(true, null);

    public static MetricsExposure Off { get; } = new(false, null);
}
