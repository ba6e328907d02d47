using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Berth.Diagnostics.Metrics;

/// <summary>
/// How many series (tag combinations) OpenTelemetry keeps for each of Berth's instruments. Its default, 2,000, is
/// allocated up front for every instrument (about 200 KiB each, on the large-object heap) while most of Berth's carry a
/// handful of series: by protocol, by cache, by job and result.
/// </summary>
public static class SeriesLimits
{
    /// <summary>For an instrument whose tags take a few fixed values.</summary>
    public const int Fixed = 64;

    /// <summary>The view to add to the meter provider: null keeps OpenTelemetry's default for that instrument.</summary>
    /// <param name="instrument">An instrument being published to the meter provider.</param>
    /// <param name="maxRepositories">The repository labels <see cref="RepositoryLabels"/> gives out, besides its <see cref="RepositoryLabels.Other"/>.</param>
    public static MetricStreamConfiguration? For(Instrument instrument, int maxRepositories)
    {
        if (instrument.Meter.Name != BerthMetrics.MeterName)
        {
            return null;
        }

        if (instrument == BerthMetrics.Pushes || instrument == BerthMetrics.Pulls)
        {
            // Each named repository and the shared "_other" series; never below the fixed limit.
            return new MetricStreamConfiguration { CardinalityLimit = Math.Max(Fixed, maxRepositories + 1) };
        }

        // Requests by protocol, operation and status can pass a few hundred series; histograms keep their advised
        // buckets only without a view, so they keep the default.
        return instrument == BerthMetrics.RequestDuration || instrument is Histogram<double>
            ? null
            : new MetricStreamConfiguration { CardinalityLimit = Fixed };
    }
}
