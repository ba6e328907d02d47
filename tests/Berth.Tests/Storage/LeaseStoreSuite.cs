using Berth.Background;
using Berth.Domain;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Storage;

/// <summary>
/// The background-job lease part of the metadata-store contract that every backend must pass, and two nodes' job
/// leases over one database. Times come from <see cref="Clock"/>, which the backend's harness must give its stores.
/// </summary>
public abstract class LeaseStoreSuite : MetadataSuite
{
    private const string Job = "lifecycle";
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    /// <summary>The clock every store of the harness stamps times by.</summary>
    protected ManualTimeProvider Clock { get; } = new(Now);

    private ILeaseStore Leases => Store.Leases;

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.TryAcquireAsync))]
    public async Task A_free_lease_is_taken()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
        Assert.True(await Leases.TryAcquireAsync("gc", "node-b", Ttl, None));
    }

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.TryAcquireAsync))]
    public async Task A_held_lease_refuses_another_holder_until_it_expires()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));

        Assert.False(await (await ReopenAsync()).Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
        Clock.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.False(await Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
    }

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.TryAcquireAsync))]
    public async Task The_holder_renews_its_lease_for_a_whole_ttl_from_now()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
        Clock.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));

        // Past the first expiry, but within the renewed one.
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
    }

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.TryAcquireAsync))]
    public async Task An_expired_lease_is_taken_over_and_its_old_holder_refused()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
        Clock.Advance(Ttl);

        Assert.True(await Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
        Assert.False(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
    }

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.ReleaseAsync))]
    public async Task A_released_lease_is_free_for_another_holder_at_once()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
        await Leases.ReleaseAsync(Job, "node-a", None);

        Assert.True(await Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
    }

    [Fact]
    [Covers<ILeaseStore>(nameof(ILeaseStore.ReleaseAsync))]
    public async Task Release_by_a_node_that_does_not_hold_the_lease_does_nothing()
    {
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
        await Leases.ReleaseAsync(Job, "node-b", None);
        await Leases.ReleaseAsync("gc", "node-a", None);

        Assert.False(await Leases.TryAcquireAsync(Job, "node-b", Ttl, None));
        Assert.True(await Leases.TryAcquireAsync(Job, "node-a", Ttl, None));
    }

    [Fact]
    public async Task Of_two_nodes_only_one_runs_a_job_and_the_other_takes_over_once_the_holder_stops_renewing()
    {
        var first = NodeLease(Store, "node-a");
        await using var second = NodeLease(await ReopenAsync(), "node-b");

        Assert.True(await first.TryHoldAsync(None));
        Assert.False(await second.TryHoldAsync(None));

        // Each schedule tick renews the holder's lease; the other node keeps skipping.
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(await first.TryHoldAsync(None));
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await second.TryHoldAsync(None));

        // The holder dies: nothing renews (its renewal timer runs on real time, minutes away), nothing releases.
        Clock.Advance(Ttl);
        Assert.True(await second.TryHoldAsync(None));
        Assert.False(await first.TryHoldAsync(None));
        Assert.False(first.IsHeld);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task A_node_that_stops_gracefully_hands_the_job_over_at_once()
    {
        var first = NodeLease(Store, "node-a");
        await using var second = NodeLease(await ReopenAsync(), "node-b");
        Assert.True(await first.TryHoldAsync(None));
        Assert.False(await second.TryHoldAsync(None));

        await first.DisposeAsync();

        Assert.True(await second.TryHoldAsync(None));
    }

    private JobLease NodeLease(IMetadataStore store, string node) =>
        new(store.Leases, Job, node, Ttl, Clock, NullLogger.Instance);
}
