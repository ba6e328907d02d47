using System.Diagnostics;
using Berth.Hosting;

namespace Berth.Diagnostics.Metrics;

/// <summary>
/// What each answered request leaves behind: its latency, status and bytes in <see cref="BerthMetrics"/>, a push or
/// pull by repository, and, with <c>--access-log</c>, one line (category <c>Berth.Access</c>). Each protocol's pipeline
/// calls it once per request, when the answer is done.
/// </summary>
public sealed class RequestTelemetry(BerthOptions options, ILoggerFactory loggers)
{
    public const string Ecr = "ecr";
    public const string Oci = "oci";
    public const string Sts = "sts";
    public const string Other = "other";

    // Status labels as strings made once, so a status tag is never boxed per request.
    private static readonly string[] StatusLabels = MakeStatusLabels();

    private readonly RepositoryLabels _repositories = new(options.MetricsMaxRepositories);
    private readonly ILogger _access = loggers.CreateLogger("Berth.Access");
    private readonly bool _accessLog = options.AccessLog;

    /// <param name="http">The answered request.</param>
    /// <param name="protocol">One of <see cref="Ecr"/>, <see cref="Oci"/>, <see cref="Sts"/>, <see cref="Other"/>.</param>
    /// <param name="operation">A label from a fixed set: an ECR operation name or a /v2/ method and resource.</param>
    /// <param name="startTimestamp">The <see cref="Stopwatch"/> timestamp taken when the request arrived.</param>
    /// <param name="principal">The caller's ARN once authenticated.</param>
    /// <param name="accessKeyId">The access key that signed, when one did (never its secret).</param>
    public void Record(HttpContext http, string protocol, string operation, long startTimestamp, string? principal = null, string? accessKeyId = null)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        var status = http.Response.StatusCode;
        var protocolTag = new KeyValuePair<string, object?>("protocol", protocol);
        BerthMetrics.RequestDuration.Record(elapsed.TotalSeconds, protocolTag,
            new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", StatusLabel(status)));
        var received = http.Request.ContentLength ?? (http.Request.Body is ClientBodyStream body ? body.BytesRead : 0);
        var sent = HttpMethods.IsHead(http.Request.Method) ? 0 : http.Response.ContentLength ?? 0;
        if (received > 0)
        {
            BerthMetrics.BytesReceived.Add(received, protocolTag);
        }

        if (sent > 0)
        {
            BerthMetrics.BytesSent.Add(sent, protocolTag);
        }

        if (_accessLog && _access.IsEnabled(LogLevel.Information))
        {
            _access.RequestAnswered(http.Response.Headers["x-amzn-RequestId"].ToString(), principal ?? "-", accessKeyId ?? "-", protocol, operation,
                status, Math.Round(elapsed.TotalMilliseconds, 3), received, sent);
        }
    }

    /// <summary>Counts a manifest pushed into <paramref name="repository"/>.</summary>
    public void Pushed(string repository) => BerthMetrics.Pushes.Add(1, new KeyValuePair<string, object?>("repository", _repositories.Of(repository)));

    /// <summary>Counts a manifest pulled from <paramref name="repository"/>.</summary>
    public void Pulled(string repository) => BerthMetrics.Pulls.Add(1, new KeyValuePair<string, object?>("repository", _repositories.Of(repository)));

    private static string StatusLabel(int status) => (uint)status < (uint)StatusLabels.Length ? StatusLabels[status] : "other";

    private static string[] MakeStatusLabels()
    {
        var labels = new string[600];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
