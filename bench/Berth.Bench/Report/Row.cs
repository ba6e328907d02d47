namespace Berth.Bench.Report;

/// <summary>
/// One line of the results table. <see cref="HigherIsBetter"/> orients the ratio so that above 1 always means
/// Berth is better (throughput: Berth/peer; time: peer/Berth).
/// </summary>
public sealed record Row(string Group, string Workload, string Unit, bool HigherIsBetter)
{
    public double? Berth { get; init; }

    /// <summary>Who the peer is (docker-registry 2.8, moto 5.2.1), or empty for Berth-only workloads.</summary>
    public string PeerName { get; init; } = string.Empty;

    public double? Peer { get; init; }

    /// <summary>Why there is no peer value (missing tool, failure) or other caveats.</summary>
    public string Note { get; init; } = string.Empty;

    public double? BerthPeakRssMiB { get; init; }

    public double? Ratio => Berth is { } b && Peer is { } p && b > 0 && p > 0 ? (HigherIsBetter ? b / p : p / b) : null;
}
