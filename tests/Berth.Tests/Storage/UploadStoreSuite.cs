using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>The upload-session half of the metadata-store contract that every backend must pass.</summary>
public abstract class UploadStoreSuite : MetadataSuite
{
    private static readonly DateTimeOffset Started = Now;
    private static readonly RepositoryKey Web = Key("web");

    private IUploadStore Uploads => Store.Uploads;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Assert.True(await Store.Repositories.CreateAsync(Repo("web"), [], None));
    }

    private static UploadSession Session(DateTimeOffset? updatedAt = null, RepositoryKey? repository = null) =>
        new(Guid.NewGuid(), repository ?? Web, Started, updatedAt ?? Started, 0);

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.CreateAsync))]
    [Covers<IUploadStore>(nameof(IUploadStore.GetAsync))]
    public async Task Created_session_reads_back_with_every_field()
    {
        var session = Session() with { Length = 42 };

        Assert.True(await Uploads.CreateAsync(session, None));

        Assert.Equal(session, await Uploads.GetAsync(session.Id, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.CreateAsync))]
    public async Task Session_for_a_missing_repository_is_not_created()
    {
        var session = Session(repository: Web with { Name = "missing" });

        Assert.False(await Uploads.CreateAsync(session, None));
        Assert.Null(await Uploads.GetAsync(session.Id, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.GetAsync))]
    public async Task Unknown_session_is_null()
    {
        Assert.Null(await Uploads.GetAsync(Guid.NewGuid(), None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.TouchAsync))]
    public async Task Touch_records_length_and_activity()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);
        var later = Started.AddMinutes(3);

        Assert.True(await Uploads.TouchAsync(session.Id, 1024, later, None));

        var read = await Uploads.GetAsync(session.Id, None);
        Assert.Equal(1024, read!.Length);
        Assert.Equal(later, read.UpdatedAt);
        Assert.Equal(Started, read.StartedAt);
        Assert.False(await Uploads.TouchAsync(Guid.NewGuid(), 1, later, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.DeleteAsync))]
    public async Task Delete_ends_a_session_once()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);

        Assert.True(await Uploads.DeleteAsync(session.Id, None));

        Assert.Null(await Uploads.GetAsync(session.Id, None));
        Assert.False(await Uploads.DeleteAsync(session.Id, None));
        Assert.False(await Uploads.TouchAsync(session.Id, 1, Started, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.ListIdleAsync))]
    public async Task ListIdle_returns_sessions_idle_before_the_cutoff_oldest_first_up_to_the_limit()
    {
        var oldest = Session(Started.AddMinutes(1));
        var older = Session(Started.AddMinutes(2));
        var old = Session(Started.AddMinutes(3));
        var fresh = Session(Started.AddMinutes(10));
        foreach (var session in new[] { old, fresh, oldest, older })
        {
            await Uploads.CreateAsync(session, None);
        }

        var cutoff = Started.AddMinutes(5);

        Assert.Equal([oldest, older, old], await Uploads.ListIdleAsync(cutoff, 10, None));
        Assert.Equal([oldest, older], await Uploads.ListIdleAsync(cutoff, 2, None));
        Assert.Empty(await Uploads.ListIdleAsync(Started.AddMinutes(1), 10, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.ListIdleAsync))]
    [Covers<IUploadStore>(nameof(IUploadStore.TouchAsync))]
    public async Task A_touched_session_is_no_longer_idle()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);
        var cutoff = Started.AddMinutes(5);
        Assert.Single(await Uploads.ListIdleAsync(cutoff, 10, None));

        await Uploads.TouchAsync(session.Id, 10, Started.AddMinutes(6), None);

        Assert.Empty(await Uploads.ListIdleAsync(cutoff, 10, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.DeleteAsync))]
    public async Task Deleting_the_repository_ends_its_sessions()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);

        await Store.Repositories.DeleteAsync(Web, None);

        Assert.Null(await Uploads.GetAsync(session.Id, None));
        Assert.Empty(await Uploads.ListIdleAsync(DateTimeOffset.MaxValue, 10, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.RecordPartAsync))]
    public async Task RecordPart_counts_parts_and_remembers_a_small_part_that_is_no_longer_the_last()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);

        Assert.True(await Uploads.RecordPartAsync(session.Id, 10, 10, 100, Started.AddMinutes(1), None));
        var afterOne = await Uploads.GetAsync(session.Id, None);
        Assert.Equal(1, afterOne!.PartCount);
        Assert.False(afterOne.SmallPartSeen);
        Assert.Equal(10, afterOne.Length);
        Assert.Equal(Started.AddMinutes(1), afterOne.UpdatedAt);

        Assert.True(await Uploads.RecordPartAsync(session.Id, 310, 300, 100, Started.AddMinutes(2), None));
        var afterTwo = await Uploads.GetAsync(session.Id, None);
        Assert.Equal(2, afterTwo!.PartCount);
        Assert.True(afterTwo.SmallPartSeen);
        Assert.Equal(310, afterTwo.Length);

        Assert.False(await Uploads.RecordPartAsync(Guid.NewGuid(), 1, 1, 100, Started, None));
    }

    [Fact]
    [Covers<IUploadStore>(nameof(IUploadStore.RecordPartAsync))]
    public async Task Only_the_last_part_may_be_small()
    {
        var session = Session();
        await Uploads.CreateAsync(session, None);

        await Uploads.RecordPartAsync(session.Id, 200, 200, 100, Started, None);
        await Uploads.RecordPartAsync(session.Id, 400, 200, 100, Started, None);
        await Uploads.RecordPartAsync(session.Id, 405, 5, 100, Started, None);

        var read = await Uploads.GetAsync(session.Id, None);
        Assert.Equal(3, read!.PartCount);
        Assert.False(read.SmallPartSeen);
        Assert.Equal(405, read.Length);
    }
}
