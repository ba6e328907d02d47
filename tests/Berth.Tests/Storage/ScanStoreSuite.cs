using Berth.Domain;
using Berth.Domain.Scanning;

namespace Berth.Tests.Storage;

/// <summary>The image-scanning part of the metadata-store contract that every backend must pass.</summary>
public abstract class ScanStoreSuite : MetadataSuite
{
    private static readonly RegistryScope Registry = new(Account, Region);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private IScanStore Scans => Store.Scans;

    [Fact]
    [Covers<IScanStore>(nameof(IScanStore.GetConfigurationAsync))]
    [Covers<IScanStore>(nameof(IScanStore.PutConfigurationAsync))]
    [Covers<IScanStore>(nameof(IScanStore.ListConfigurationsAsync))]
    public async Task A_registry_configuration_is_replaced_whole_survives_a_reopen_and_belongs_to_its_registry()
    {
        Assert.Null(await Scans.GetConfigurationAsync(Registry, None));
        await Scans.PutConfigurationAsync(Registry, new RegistryScanningConfiguration("BASIC", [new ScanningRule("SCAN_ON_PUSH", ["*"])]), None);
        var enhanced = new RegistryScanningConfiguration("ENHANCED", [new ScanningRule("CONTINUOUS_SCAN", ["prod-*", "web"]), new ScanningRule("SCAN_ON_PUSH", ["*"])]);
        await Scans.PutConfigurationAsync(Registry, enhanced, None);
        await Scans.PutConfigurationAsync(new RegistryScope(OtherAccount, Region), RegistryScanningConfiguration.Default, None);

        var reopened = await ReopenAsync();
        var stored = await reopened.Scans.GetConfigurationAsync(Registry, None);
        Assert.Equal("ENHANCED", stored!.ScanType);
        Assert.Equal(["CONTINUOUS_SCAN", "SCAN_ON_PUSH"], stored.Rules.Select(r => r.ScanFrequency));
        Assert.Equal(["prod-*", "web"], stored.Rules[0].Filters);
        Assert.Null(await reopened.Scans.GetConfigurationAsync(new RegistryScope(Account, "eu-west-1"), None));
        var all = await reopened.Scans.ListConfigurationsAsync(None);
        Assert.Equal([Account, OtherAccount], all.Select(c => c.Registry.AccountId));
    }

    [Fact]
    [Covers<IScanStore>(nameof(IScanStore.RequestAsync))]
    [Covers<IScanStore>(nameof(IScanStore.GetAsync))]
    public async Task A_scan_is_queued_once_per_quota_window_and_only_for_an_existing_image()
    {
        var repository = await CreateRepositoryAsync("app");
        var image = Image("{\"a\":1}");
        await PutAsync(repository, image, "v1");

        Assert.Equal(ScanRequestOutcome.Queued, await Scans.RequestAsync(repository, image.Image.Digest, ScanStatus.InProgress, Now, Day, None));
        Assert.Equal(ScanRequestOutcome.QuotaExceeded, await Scans.RequestAsync(repository, image.Image.Digest, ScanStatus.InProgress, Now.AddHours(23), Day, None));
        Assert.Equal(ScanRequestOutcome.Queued, await Scans.RequestAsync(repository, image.Image.Digest, ScanStatus.InProgress, Now.AddHours(24), Day, None));
        Assert.Equal(ScanRequestOutcome.ImageNotFound, await Scans.RequestAsync(repository, Image("{\"b\":2}").Image.Digest, ScanStatus.InProgress, Now, Day, None));
        Assert.Equal(ScanRequestOutcome.ImageNotFound, await Scans.RequestAsync(Key("missing"), image.Image.Digest, ScanStatus.InProgress, Now, Day, None));

        var scan = await (await ReopenAsync()).Scans.GetAsync(repository, image.Image.Digest, withFindings: true, None);
        Assert.Equal(ScanStatus.InProgress, scan!.Status);
        Assert.Equal(Now.AddHours(24), scan.RequestedAt);
        Assert.Null(scan.CompletedAt);
        Assert.Null(scan.FindingsJson);
    }

    [Fact]
    [Covers<IScanStore>(nameof(IScanStore.ListQueuedAsync))]
    [Covers<IScanStore>(nameof(IScanStore.CompleteAsync))]
    [Covers<IScanStore>(nameof(IScanStore.GetManyAsync))]
    public async Task A_result_is_recorded_only_for_the_request_it_answers_and_leaves_the_queue()
    {
        var repository = await CreateRepositoryAsync("app");
        var first = Image("{\"a\":1}");
        var second = Image("{\"b\":2}");
        await PutAsync(repository, first, "v1");
        await PutAsync(repository, second, "v2");
        await Scans.RequestAsync(repository, second.Image.Digest, ScanStatus.InProgress, Now.AddSeconds(1), Day, None);
        await Scans.RequestAsync(repository, first.Image.Digest, ScanStatus.InProgress, Now, Day, None);

        var queued = await Scans.ListQueuedAsync(10, None);
        Assert.Equal([first.Image.Digest, second.Image.Digest], queued.Select(q => q.Digest));
        Assert.Equal(repository, queued[0].Repository);

        var counts = new Dictionary<string, int> { ["HIGH"] = 2, ["LOW"] = 1 };
        var result = new ScanResult(ScanStatus.Complete, "done", Now.AddMinutes(1), Now.AddDays(-1), counts, "[]");
        // The scan's event is written only with the result it goes with: a stale answer writes neither.
        var outbox = new Berth.Domain.Outbox.OutboxMessage("event", "scan/" + first.Image.Digest, "{}");
        Assert.False(await Scans.CompleteAsync(repository, first.Image.Digest, Now.AddSeconds(-5), result, [outbox], None));
        Assert.Empty(await Store.Outbox.ListAsync("event", outbox.Subject, None));
        Assert.True(await Scans.CompleteAsync(repository, first.Image.Digest, Now, result, [outbox], None));
        Assert.Single(await Store.Outbox.ListAsync("event", outbox.Subject, None));

        Assert.Equal([second.Image.Digest], (await Scans.ListQueuedAsync(10, None)).Select(q => q.Digest));
        var many = await Scans.GetManyAsync(repository, [first.Image.Digest, second.Image.Digest, Image("{}").Image.Digest], None);
        Assert.Equal(2, many.Count);
        var done = many[first.Image.Digest];
        Assert.Equal((ScanStatus.Complete, "done", Now.AddMinutes(1), Now.AddDays(-1)), (done.Status, done.Description, done.CompletedAt, done.SourceUpdatedAt));
        Assert.Equal(counts, done.SeverityCounts);
        Assert.Null(done.FindingsJson);
        Assert.Equal("[]", (await Scans.GetAsync(repository, first.Image.Digest, withFindings: true, None))!.FindingsJson);
    }

    [Fact]
    [Covers<IScanStore>(nameof(IScanStore.QueueRepositoryAsync))]
    public async Task Queuing_a_repository_marks_every_image_and_keeps_findings_until_replaced_and_a_deleted_image_takes_its_scan()
    {
        var repository = await CreateRepositoryAsync("app");
        var first = Image("{\"a\":1}");
        var second = Image("{\"b\":2}");
        await PutAsync(repository, first, "v1");
        await PutAsync(repository, second, "v2");
        await Scans.RequestAsync(repository, first.Image.Digest, ScanStatus.InProgress, Now, Day, None);
        await Scans.CompleteAsync(repository, first.Image.Digest, Now, new ScanResult(ScanStatus.Complete, "done", Now, null, new Dictionary<string, int>(), "[]"), [], None);

        Assert.Equal(2, await Scans.QueueRepositoryAsync(repository, ScanStatus.Pending, Now.AddHours(1), None));
        var kept = await Scans.GetAsync(repository, first.Image.Digest, withFindings: true, None);
        Assert.Equal((ScanStatus.Pending, "[]"), (kept!.Status, kept.FindingsJson));
        Assert.Equal(2, (await Scans.ListQueuedAsync(10, None)).Count);
        // A repository rescan is not a manual scan: the quota still counts from it.
        Assert.Equal(ScanRequestOutcome.QuotaExceeded, await Scans.RequestAsync(repository, first.Image.Digest, ScanStatus.InProgress, Now.AddHours(2), Day, None));

        await Images.DeleteImageAsync(repository, second.Image.Digest, None);
        Assert.Null(await Scans.GetAsync(repository, second.Image.Digest, withFindings: false, None));
        Assert.Equal(0, await Scans.QueueRepositoryAsync(Key("missing"), ScanStatus.Pending, Now, None));
    }
}
