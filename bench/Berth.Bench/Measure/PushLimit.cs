using System.Globalization;

namespace Berth.Bench.Measure;

/// <summary>
/// The machine's ceilings for one push, as the <c>limits</c> group measured them in this run: every pushed byte crosses
/// loopback HTTP once, is hashed once on one core and is written once with an fsync, so a push can go no faster than the
/// slowest of the three.
/// </summary>
public sealed class PushLimit
{
    private readonly Dictionary<string, double> _limits = new(StringComparer.Ordinal);

    /// <summary>Records one measured ceiling in MiB/s under a short name (it appears in the row's note).</summary>
    public void Set(string name, double mibPerSecond)
    {
        if (double.IsFinite(mibPerSecond) && mibPerSecond > 0)
        {
            lock (_limits)
            {
                _limits[name] = mibPerSecond;
            }
        }
    }

    /// <summary>The slowest ceiling and its name; null when the <c>limits</c> group did not run first.</summary>
    public (string Name, double MiBPerSecond)? Slowest()
    {
        lock (_limits)
        {
            (string, double)? slowest = null;
            foreach (var (name, value) in _limits)
            {
                if (slowest is null || value < slowest.Value.Item2)
                {
                    slowest = (name, value);
                }
            }

            return slowest;
        }
    }

    /// <summary>A row note: "61% of the limit 1,130 MiB/s (loopback upload)", or how to get one.</summary>
    public string Describe(double berthMiBPerSecond)
    {
        if (Slowest() is not { } limit)
        {
            return "run the limits group too for this row's limit";
        }

        var percent = berthMiBPerSecond / limit.MiBPerSecond * 100;
        return string.Create(CultureInfo.InvariantCulture, $"Berth at {percent:F0}% of the limit {limit.MiBPerSecond:N0} MiB/s ({limit.Name})");
    }
}
