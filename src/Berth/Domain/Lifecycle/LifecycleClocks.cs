namespace Berth.Domain.Lifecycle;

/// <summary>
/// The times lifecycle rules measure an image by. A restore from archive restarts both the push and the pull clock,
/// so an image restored 5 days ago is 5 days old to every rule.
/// </summary>
internal static class LifecycleClocks
{
    /// <summary>Push time, or the last restore from archive when that is later (imageCountMoreThan and sinceImagePushed).</summary>
    public static DateTimeOffset Pushed(LifecycleImage image) =>
        image.LastActivatedAt is { } activated && activated > image.PushedAt ? activated : image.PushedAt;

    /// <summary>The last pull; an image not pulled since its push or restore counts from that (sinceImagePulled).</summary>
    public static DateTimeOffset Pulled(LifecycleImage image)
    {
        var pushed = Pushed(image);
        return image.LastPulledAt is { } pulled && pulled > pushed ? pulled : pushed;
    }

    /// <summary>
    /// True when strictly more than <paramref name="days"/> × 24 h separate <paramref name="time"/> from
    /// <paramref name="now"/>: an image exactly N days old is not yet "more than N days" old.
    /// </summary>
    public static bool IsOlderThan(DateTimeOffset time, DateTimeOffset now, int days) =>
        days <= MaxDays && now - time > TimeSpan.FromDays(days);

    // Beyond this many days no DateTimeOffset can be that old, and TimeSpan.FromDays would overflow.
    private const int MaxDays = 3_700_000;
}
