using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Bench.Processes;

/// <summary>
/// A process the harness started: its output is drained (so it never blocks on a full pipe) and the last lines
/// are kept for error messages. Every child is registered, so an interrupted run still ends what it started.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 60;
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    // The first lines (a key printed at start) are kept whole; after that only a tail.
    private readonly List<string> _all = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task Exited => _exited.Task;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, fileName + " " + string.Join(' ', info.ArgumentList));
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        Running[process.Id] = process;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        await using var child = Start(fileName, arguments, workingDirectory);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await child._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{child.Description} did not finish within {timeout.TotalSeconds:0} s:\n{child.Tail()}");
        }

        return (child.ExitCode, child.AllOutput());
    }

    /// <summary>Ends every child still running (Ctrl+C, an unhandled error).</summary>
    public static void KillAll()
    {
        foreach (var (id, process) in Running)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            Running.TryRemove(id, out _);
        }
    }

    /// <summary>Waits for an output line that matches, failing if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _all)
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, found));
        }

        var finished = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(timeout));
        if (finished == found.Task)
        {
            return await found.Task;
        }

        throw new InvalidOperationException(
            (finished == _exited.Task ? $"{Description} exited ({_process.ExitCode})" : $"{Description} printed no expected line in {timeout.TotalSeconds:0} s") + ":\n" + Tail());
    }

    /// <summary>A field of /proc/PID/status in KiB (VmRSS, VmHWM), or null once the process is gone.</summary>
    public long? ReadStatusKiB(string field) => ProcStatus.ReadKiB(_process.Id, field);

    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private string AllOutput()
    {
        lock (_gate)
        {
            return string.Join('\n', _all.Concat(_tail.Skip(Math.Max(0, _tail.Count - TailLines))).Distinct());
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_all.Count < 200)
            {
                _all.Add(line);
            }

            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
