namespace Berth.Domain.Uploads;

/// <summary>
/// An upload's incoming bytes, reporting that the upload is alive while they keep arriving: after a read that returns
/// bytes, at most once per <paramref name="interval"/> (by <paramref name="time"/>), it awaits
/// <paramref name="onActive"/> before handing them on. The upload purge judges uploads by their last activity, so a
/// request streaming for longer than the upload max age is not taken for an abandoned one, on any node.
/// </summary>
public sealed class ActivityStream(Stream inner, TimeProvider time, TimeSpan interval, Func<CancellationToken, ValueTask> onActive) : ForwardReadStream(inner)
{
    /// <summary>
    /// How often a streaming upload refreshes its activity time: seldom enough to cost nothing next to the bytes (one small
    /// write a minute), often enough for any upload max age of a few minutes or more.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset _reported = time.GetUtcNow();

    // The stores read asynchronously; a synchronous read cannot wait for the report, so it only counts (the base does).
    protected override async ValueTask AfterReadAsync(int read, int asked, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (read > 0 && now - _reported >= interval)
        {
            _reported = now;
            await onActive(cancellationToken);
        }
    }
}
