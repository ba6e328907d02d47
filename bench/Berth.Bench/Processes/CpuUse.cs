using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench.Processes;

/// <summary>
/// CPU time spent between a start and a stop, read from /proc (Linux): by one process (utime + stime of
/// /proc/PID/stat, all its threads) or by the whole machine (/proc/stat). It says which side of a run was busy: a
/// single-threaded Python S3 server near one core is the bottleneck, and a machine near all cores busy is the limit.
/// </summary>
public sealed class CpuUse
{
    // USER_HZ: the unit of /proc's CPU times on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly int? _pid;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly (long Busy, long Total) _start;

    private CpuUse(int? pid)
    {
        _pid = pid;
        _start = Read();
    }

    /// <summary>Starts counting the CPU time of process <paramref name="pid"/>.</summary>
    public static CpuUse OfProcess(int pid) => new(pid);

    /// <summary>Starts counting the busy time of all cores.</summary>
    public static CpuUse OfMachine() => new(null);

    /// <summary>The CPU seconds process <paramref name="pid"/> has used since it started (0 when /proc cannot tell).</summary>
    public static double TotalSeconds(int pid) => new CpuUse(pid)._start.Busy / TicksPerSecond;

    /// <summary>For a process, the CPU seconds it used up to <see cref="Stop"/>.</summary>
    public double Seconds { get; private set; }

    /// <summary>For a process: the cores it kept busy on average (1.0 = one core); for the machine: the busy fraction of all cores.</summary>
    public double Stop()
    {
        var (busy, total) = Read();
        if (_pid is not null)
        {
            Seconds = (busy - _start.Busy) / TicksPerSecond;
            return Seconds / _clock.Elapsed.TotalSeconds;
        }

        return total == _start.Total ? 0 : (busy - _start.Busy) / (double)(total - _start.Total);
    }

    private (long Busy, long Total) Read()
    {
        try
        {
            if (_pid is { } pid)
            {
                // Fields after "(comm)": state is field 3, utime 14 and stime 15 (man 5 proc).
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return (ticks, 0);
            }

            // cpu user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
            var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var all = values.Sum();
            return (all - values[3] - values[4], all);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }
}
