using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Bench.Http;
using Berth.Bench.Processes;

namespace Berth.Bench.Load;

/// <summary>What one wrk run measured.</summary>
public sealed record WrkResult(double RequestsPerSecond, double? MedianLatencyMs, long Requests, long Non2xx, long SocketErrors, string Output)
{
    /// <summary>The 99th percentile of request latency (wrk's <c>--latency</c> distribution), when printed.</summary>
    public double? P99LatencyMs { get; init; }

    /// <summary>A run whose answers were not all successful measures nothing useful.</summary>
    public bool Clean => Non2xx == 0 && SocketErrors == 0 && Requests > 0;
}

/// <summary>
/// Drives Debian's wrk (C, epoll, one thread per core): fixed requests over N keep-alive connections. Each
/// request is the same bytes, so a SigV4-signed ECR call is signed once and replayed within its five minutes.
/// </summary>
public static partial class Wrk
{
    /// <summary>Loads <paramref name="url"/> with GETs; <paramref name="threads"/> wrk threads, or one per core (at most one per connection) when null.</summary>
    public static async Task<WrkResult> GetAsync(BenchContext context, Uri url, int connections, IReadOnlyDictionary<string, string>? headers = null, int? threads = null)
    {
        var args = BaseArgs(context, connections, threads);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            args.Add("-H");
            args.Add($"{name}: {value}");
        }

        args.Add(url.ToString());
        return await RunAsync(context, args);
    }

    /// <summary>Replays one signed ECR call.</summary>
    public static async Task<WrkResult> PostSignedAsync(BenchContext context, Uri endpoint, SignedHeaders signed, string body, int connections)
    {
        var script = Path.Combine(context.WorkDir, $"wrk-{Guid.NewGuid():N}.lua");
        var lua = new StringBuilder();
        lua.AppendLine("wrk.method = \"POST\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.body = [==[{body}]==]");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Host\"] = \"{signed.Host}\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Content-Type\"] = \"{SignedHeaders.ContentType}\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"X-Amz-Target\"] = \"{signed.Target}\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"X-Amz-Date\"] = \"{signed.AmzDate}\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Authorization\"] = \"{signed.Authorization}\"");
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            var args = BaseArgs(context, connections);
            args.Add("-s");
            args.Add(script);
            args.Add(endpoint.ToString());
            return await RunAsync(context, args);
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static WrkResult Parse(string output)
    {
        var rps = RequestsPerSecond().Match(output);
        if (!rps.Success)
        {
            throw new FormatException("wrk printed no Requests/sec:\n" + output);
        }

        var requests = RequestCount().Match(output);
        var non2xx = Non2xx().Match(output);
        var socket = SocketErrors().Match(output);
        long errors = 0;
        if (socket.Success)
        {
            for (var g = 1; g <= 4; g++)
            {
                errors += long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture);
            }
        }

        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(Median().Match(output)),
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors,
            output)
        {
            P99LatencyMs = Milliseconds(P99().Match(output)),
        };
    }

    /// <summary>A latency line of the distribution (value and unit) in milliseconds, or null when absent.</summary>
    private static double? Milliseconds(Match line)
    {
        if (!line.Success)
        {
            return null;
        }

        var value = double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        return line.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60_000,
        };
    }

    private static List<string> BaseArgs(BenchContext context, int connections, int? threads = null) =>
    [
        "-t", (threads ?? Math.Min(Environment.ProcessorCount, connections)).ToString(CultureInfo.InvariantCulture),
        "-c", connections.ToString(CultureInfo.InvariantCulture),
        "-d", ((int)context.Options.LoadDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        "--timeout", "10s",
        "--latency",
    ];

    private static async Task<WrkResult> RunAsync(BenchContext context, List<string> args)
    {
        var wrk = context.Tools.Wrk ?? throw new InvalidOperationException("wrk is missing");
        var (exit, output) = await ChildProcess.RunAsync(wrk, args, context.Options.LoadDuration + TimeSpan.FromSeconds(60));
        if (exit != 0)
        {
            throw new InvalidOperationException($"wrk exited {exit}:\n{output}");
        }

        return Parse(output);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"^\s+50%\s+([0-9.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex Median();

    [GeneratedRegex(@"^\s+99%\s+([0-9.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex P99();
}
