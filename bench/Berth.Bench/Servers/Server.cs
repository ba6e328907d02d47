using System.Diagnostics;
using Berth.Bench.Processes;

namespace Berth.Bench.Servers;

/// <summary>A server the harness started on 127.0.0.1 with a fresh data dir; disposing it ends the process.</summary>
public abstract class Server(ChildProcess process, Uri baseUri, string dataDir) : IAsyncDisposable
{
    public ChildProcess Process => process;

    public Uri BaseUri => baseUri;

    public string DataDir => dataDir;

    /// <summary>Lifetime peak resident set size (VmHWM) in MiB, read just before the process is ended.</summary>
    public double? PeakRssMiB { get; private set; }

    public virtual async ValueTask DisposeAsync()
    {
        if (process.ReadStatusKiB("VmHWM") is { } hwm)
        {
            PeakRssMiB = hwm / 1024.0;
        }

        await process.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Polls <paramref name="probe"/> until any HTTP answer arrives; returns how long that took.</summary>
    protected static async Task<TimeSpan> WaitUntilAnsweringAsync(HttpClient http, ChildProcess process, Uri probe, TimeSpan timeout, Stopwatch? since = null)
    {
        var clock = since ?? Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Description} exited ({process.ExitCode}) before answering:\n{process.Tail()}");
            }

            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(probe, attempt.Token);
                return clock.Elapsed;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"{process.Description} did not answer {probe} within {timeout.TotalSeconds:0} s:\n{process.Tail()}");
                }

                await Task.Delay(5);
            }
        }
    }
}
