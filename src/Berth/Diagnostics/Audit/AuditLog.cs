using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Berth.Diagnostics.Audit;

/// <summary>
/// The audit trail: one JSON line per request that changes state or is refused, written in order by one background
/// writer so request threads never wait on the file. The queue is bounded: when the disk cannot keep up, requests wait
/// for room rather than records being dropped, since an audit trail with holes is worse than a slower registry.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private const int QueueCapacity = 4096;

    private readonly Channel<byte[]>? _queue;
    private readonly Task _writer = Task.CompletedTask;
    private readonly ILogger<AuditLog> _logger;

    public AuditLog(IOptions<AuditOptions> options, ILogger<AuditLog> logger)
    {
        _logger = logger;
        var settings = options.Value;
        if (settings.Target.Equals(AuditTarget.Off, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var toStdout = settings.Target.Equals(AuditTarget.Stdout, StringComparison.OrdinalIgnoreCase);
        _writer = Task.Run(() => WriteAllAsync(toStdout ? null : settings.Path!));
    }

    /// <summary>Whether records are kept at all (<c>Berth:Audit:Target</c> is not <c>off</c>).</summary>
    public bool IsEnabled => _queue is not null;

    /// <summary>Queues one record; it is written after every record queued before it.</summary>
    public ValueTask RecordAsync(AuditEvent auditEvent)
    {
        if (_queue is null)
        {
            return ValueTask.CompletedTask;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AuditRecordWriter.Write(writer, auditEvent);
        }

        buffer.Write("\n"u8);
        // Never tied to the request's cancellation: a client that hangs up must not erase its trace.
        return _queue.Writer.WriteAsync(buffer.WrittenSpan.ToArray(), CancellationToken.None);
    }

    private async Task WriteAllAsync(string? path)
    {
        var reader = _queue!.Reader;
        try
        {
            await using var output = path is null ? Console.OpenStandardOutput() : Open(path);
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var line))
                {
                    await output.WriteAsync(line);
                }

                // Visible to readers of the file as soon as the burst is written; not fsynced (a crash may lose the
                // last records, never corrupt earlier ones: each is one append of a whole line).
                await output.FlushAsync();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.AuditWriteFailed(path ?? "stdout", e);
            // Keep draining so requests never block on a dead trail; the failure is in the log.
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out _))
                {
                }
            }
        }
    }

    private static FileStream Open(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only: the trail names principals, addresses and repositories.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue?.Writer.TryComplete();
        await _writer;
    }
}
