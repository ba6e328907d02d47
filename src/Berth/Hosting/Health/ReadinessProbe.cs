using System.Text.Json;
using Berth.Domain;

namespace Berth.Hosting.Health;

/// <summary>
/// What <c>/health/ready</c> checks, each for real and within <see cref="Timeout"/>: the database answers and takes a
/// write (a lease row taken and given back), the blob store takes a write (an upload begun, a few bytes appended,
/// aborted), and this process applied the migrations at start-up.
/// </summary>
public sealed class ReadinessProbe(IMetadataStore store, IBlobUploadStore uploads)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // A lease no job uses, held only for the instant of the probe; another node's probe may hold it at the same time.
    private const string ProbeLease = "health-probe";

    private static readonly byte[] ProbeBytes = "berth readiness probe"u8.ToArray();

    private readonly string _holder = "probe-" + Guid.NewGuid().ToString("N");
    private volatile bool _migrated;

    /// <summary>Set once the start-up migrations have run in this process.</summary>
    public void MarkMigrated() => _migrated = true;

    /// <summary>Runs every check; each failure is named with its reason.</summary>
    public async Task<IReadOnlyList<(string Check, string? Failure)>> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var database = RunAsync(DatabaseAsync, timeout.Token);
        var blobs = RunAsync(BlobsAsync, timeout.Token);
        return
        [
            ("database", await database),
            ("blobs", await blobs),
            ("migrations", _migrated ? null : "the start-up migrations have not completed"),
        ];
    }

    /// <summary>The answer body: <c>{"status":"ready"|"not ready","checks":{"database":"ok"|reason,...}}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<(string Check, string? Failure)> checks)
    {
        var ready = true;
        foreach (var (_, failure) in checks)
        {
            ready &= failure is null;
        }

        writer.WriteStartObject();
        writer.WriteString("status"u8, ready ? "ready" : "not ready");
        writer.WriteStartObject("checks"u8);
        foreach (var (check, failure) in checks)
        {
            writer.WriteString(check, failure ?? "ok");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static async Task<string?> RunAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        try
        {
            await check(cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (Exception ex)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }

    private async Task DatabaseAsync(CancellationToken cancellationToken)
    {
        if (await store.Leases.TryAcquireAsync(ProbeLease, _holder, TimeSpan.FromSeconds(10), cancellationToken))
        {
            await store.Leases.ReleaseAsync(ProbeLease, _holder, cancellationToken);
        }
    }

    private async Task BlobsAsync(CancellationToken cancellationToken)
    {
        var upload = await uploads.BeginUploadAsync(cancellationToken);
        try
        {
            using var bytes = new MemoryStream(ProbeBytes, writable: false);
            var appended = await uploads.AppendAsync(upload, 0, bytes, null, cancellationToken);
            if (!appended.IsAppended)
            {
                throw new IOException("a probe upload's append answered " + appended.Status);
            }
        }
        finally
        {
            await uploads.AbortAsync(upload, CancellationToken.None);
        }
    }
}
