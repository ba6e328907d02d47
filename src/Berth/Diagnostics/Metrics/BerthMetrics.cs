using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Berth.Diagnostics.Metrics;

/// <summary>
/// Every instrument Berth publishes, on one <see cref="Meter"/> named <see cref="MeterName"/>. <c>/metrics</c> exports
/// them in the Prometheus text format (OpenTelemetry's exporter turns <c>berth.http.request.duration</c> in seconds
/// into <c>berth_http_request_duration_seconds</c>); deploy/grafana/berth-dashboard.json reads them.
/// </summary>
/// <remarks>
/// Static so that storage and jobs, which are built outside dependency injection, record without a reference being
/// threaded to them; an instrument nobody listens to costs one branch. Tag values are strings or pre-boxed objects,
/// so recording allocates nothing.
/// </remarks>
public static class BerthMetrics
{
    public const string MeterName = "Berth";

    public static readonly Meter Meter = new(MeterName, BuildInfo.Version);

    /// <summary>Latency of every answered request, by protocol, operation and status; its count is the request count.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "berth.http.request.duration", "s", "Time from the start of a request to its answer",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>("berth.http.received", "By", "Request body bytes, by protocol");

    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("berth.http.sent", "By", "Response body bytes with a declared length, by protocol");

    public static readonly Counter<long> Pushes = Meter.CreateCounter<long>("berth.image.pushes", "{image}", "Manifests pushed, by repository");

    public static readonly Counter<long> Pulls = Meter.CreateCounter<long>("berth.image.pulls", "{image}", "Manifests pulled, by repository");

    public static readonly UpDownCounter<long> UploadsOpen = Meter.CreateUpDownCounter<long>(
        "berth.uploads.open", "{upload}", "Upload sessions this process began and that are not yet finished, cancelled or purged");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("berth.cache.hits", "{read}", "Reads answered from the read cache, by cache");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("berth.cache.misses", "{read}", "Reads the read cache sent to the store, by cache");

    public static readonly UpDownCounter<long> CacheSize = Meter.CreateUpDownCounter<long>("berth.cache.size", "By", "Bytes the read cache holds, by cache");

    public static readonly UpDownCounter<long> WriterQueue = Meter.CreateUpDownCounter<long>(
        "berth.db.writer.queue", "{write}", "Writes waiting for or running on the SQLite writer thread");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "berth.db.commit.duration", "s", "Time of one write transaction, from its start to its commit, by backend",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });

    public static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("berth.job.runs", "{run}", "Background job runs, by job and result");

    public static readonly Counter<long> JobRemoved = Meter.CreateCounter<long>(
        "berth.job.removed", "{item}", "Items a job removed: blobs (gc), images (lifecycle), uploads (upload-purge)");

    public static readonly Counter<long> GcFreed = Meter.CreateCounter<long>("berth.gc.freed", "By", "Bytes the garbage collector freed");

    private static long _gcLastSuccess;
    private static long _lifecycleLastSuccess;
    private static long _uploadPurgeLastSuccess;

    static BerthMetrics()
    {
        Meter.CreateObservableGauge("berth.job.last_success", ObserveLastSuccess, "s", "Unix time of the job's last successful run on this node");
        Meter.CreateObservableGauge("berth.build.info", static () => new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", BuildInfo.Version), new KeyValuePair<string, object?>("commit", BuildInfo.Commit)),
            null, "Always 1; the version and commit this binary was built from");
    }

    /// <summary>The jobs whose runs are counted, as their <c>job</c> tag says.</summary>
    public static class Jobs
    {
        public const string Gc = "gc";
        public const string Lifecycle = "lifecycle";
        public const string UploadPurge = "upload-purge";
    }

    /// <summary>Counts one run of <paramref name="job"/>; on success also its removals and its time.</summary>
    public static void JobRan(string job, bool succeeded, long removed = 0, TimeProvider? time = null)
    {
        JobRuns.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("result", succeeded ? "success" : "failure"));
        if (!succeeded)
        {
            return;
        }

        JobRemoved.Add(removed, new KeyValuePair<string, object?>("job", job));
        var now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        switch (job)
        {
            case Jobs.Gc:
                Volatile.Write(ref _gcLastSuccess, now);
                break;
            case Jobs.Lifecycle:
                Volatile.Write(ref _lifecycleLastSuccess, now);
                break;
            default:
                Volatile.Write(ref _uploadPurgeLastSuccess, now);
                break;
        }
    }

    /// <summary>Records one write transaction's duration since <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void Committed(string backend, long startTimestamp) =>
        CommitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("backend", backend));

    private static IEnumerable<Measurement<long>> ObserveLastSuccess()
    {
        // A job that has not succeeded since start is left out rather than reported as 1970.
        if (Volatile.Read(ref _gcLastSuccess) is > 0 and var gc)
        {
            yield return new Measurement<long>(gc, new KeyValuePair<string, object?>("job", Jobs.Gc));
        }

        if (Volatile.Read(ref _lifecycleLastSuccess) is > 0 and var lifecycle)
        {
            yield return new Measurement<long>(lifecycle, new KeyValuePair<string, object?>("job", Jobs.Lifecycle));
        }

        if (Volatile.Read(ref _uploadPurgeLastSuccess) is > 0 and var purge)
        {
            yield return new Measurement<long>(purge, new KeyValuePair<string, object?>("job", Jobs.UploadPurge));
        }
    }
}
