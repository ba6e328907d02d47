namespace Berth.Bench.Processes;

/// <summary>Polls a process's resident set size while a workload runs and keeps the largest value seen.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKiB;

    private RssSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    public static RssSampler Start(int pid) => new(pid);

    /// <summary>Stops sampling and returns the peak in MiB.</summary>
    public async Task<double> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        return _peakKiB / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Sample()
    {
        if (ProcStatus.ReadKiB(_pid, "VmRSS") is { } rss && rss > _peakKiB)
        {
            _peakKiB = rss;
        }
    }
}
