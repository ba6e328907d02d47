using Berth.Domain;
using Berth.Domain.Lifecycle;
using Berth.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>LifecycleService.StateOf: a finished preview expires after the configured lifetime, whatever its results.</summary>
public sealed class LifecyclePreviewStateTests
{
    private static readonly DateTimeOffset Finished = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // StateOf reads only the clock and the record, so no store is needed.
    private static LifecycleService Service(FixedTimeProvider clock, TimeSpan? lifetime) =>
        new(null!, clock, NullLogger<LifecycleService>.Instance, lifetime);

    private static PreviewRecord Preview(PreviewStatus status) => new("{}", status, Finished.AddMinutes(-1), status == PreviewStatus.InProgress ? null : Finished);

    [Fact]
    public void A_completed_preview_expires_once_older_than_the_configured_lifetime()
    {
        var clock = new FixedTimeProvider(Finished + TimeSpan.FromHours(1));
        var service = Service(clock, TimeSpan.FromHours(1));

        Assert.Equal(LifecyclePreviewState.Complete, service.StateOf(Preview(PreviewStatus.Complete)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(LifecyclePreviewState.Expired, service.StateOf(Preview(PreviewStatus.Complete)));
        Assert.Equal(LifecyclePreviewState.Failed, service.StateOf(Preview(PreviewStatus.Failed)));
        Assert.Equal(LifecyclePreviewState.InProgress, service.StateOf(Preview(PreviewStatus.InProgress)));
    }

    [Fact]
    public void Without_a_configured_lifetime_a_preview_is_kept_for_a_day()
    {
        var clock = new FixedTimeProvider(Finished + TimeSpan.FromHours(23));
        var service = Service(clock, null);

        Assert.Equal(LifecyclePreviewState.Complete, service.StateOf(Preview(PreviewStatus.Complete)));
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(LifecyclePreviewState.Expired, service.StateOf(Preview(PreviewStatus.Complete)));
    }
}
