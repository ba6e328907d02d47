using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>The pull-time update exclusion part of the metadata-store contract that every backend must pass.</summary>
public abstract class PullExclusionStoreSuite : MetadataSuite
{
    private const string Alice = "arn:aws:iam::111111111111:user/alice";
    private const string Bob = "arn:aws:iam::111111111111:user/bob";
    private const string Builder = "arn:aws:iam::222222222222:role/ci/builder";

    private static readonly RegistryScope Registry = new(Account, Region);

    private IPullExclusionStore Exclusions => Store.PullExclusions;

    [Fact]
    [Covers<IPullExclusionStore>(nameof(IPullExclusionStore.AddAsync))]
    [Covers<IPullExclusionStore>(nameof(IPullExclusionStore.ContainsAsync))]
    public async Task An_exclusion_is_added_once_survives_a_reopen_and_belongs_to_its_registry()
    {
        Assert.Equal(PullExclusionAddition.Added, await Exclusions.AddAsync(Registry, Alice, Now, 100, None));
        Assert.Equal(PullExclusionAddition.AlreadyExcluded, await Exclusions.AddAsync(Registry, Alice, Now.AddDays(1), 100, None));

        var reopened = await ReopenAsync();
        Assert.True(await reopened.PullExclusions.ContainsAsync(Registry, Alice, None));
        Assert.False(await reopened.PullExclusions.ContainsAsync(Registry, Bob, None));
        Assert.False(await reopened.PullExclusions.ContainsAsync(new RegistryScope(OtherAccount, Region), Alice, None));
        Assert.False(await reopened.PullExclusions.ContainsAsync(new RegistryScope(Account, "eu-west-1"), Alice, None));
        Assert.False(await reopened.PullExclusions.ContainsAsync(Registry, Alice.ToUpperInvariant(), None));
    }

    [Fact]
    [Covers<IPullExclusionStore>(nameof(IPullExclusionStore.AddAsync))]
    public async Task A_registry_at_the_limit_takes_no_more_while_another_registry_still_does()
    {
        Assert.Equal(PullExclusionAddition.Added, await Exclusions.AddAsync(Registry, Alice, Now, 2, None));
        Assert.Equal(PullExclusionAddition.Added, await Exclusions.AddAsync(Registry, Bob, Now, 2, None));

        Assert.Equal(PullExclusionAddition.LimitReached, await Exclusions.AddAsync(Registry, Builder, Now, 2, None));
        Assert.Equal(PullExclusionAddition.AlreadyExcluded, await Exclusions.AddAsync(Registry, Bob, Now, 2, None));
        Assert.Equal(PullExclusionAddition.Added, await Exclusions.AddAsync(new RegistryScope(OtherAccount, Region), Builder, Now, 2, None));
        Assert.False(await Exclusions.ContainsAsync(Registry, Builder, None));
    }

    [Fact]
    [Covers<IPullExclusionStore>(nameof(IPullExclusionStore.RemoveAsync))]
    public async Task Removing_takes_the_principal_out_once()
    {
        await Exclusions.AddAsync(Registry, Alice, Now, 100, None);
        await Exclusions.AddAsync(Registry, Bob, Now, 100, None);

        Assert.True(await Exclusions.RemoveAsync(Registry, Alice, None));
        Assert.False(await Exclusions.RemoveAsync(Registry, Alice, None));
        Assert.False(await Exclusions.RemoveAsync(new RegistryScope(OtherAccount, Region), Bob, None));

        Assert.False(await Exclusions.ContainsAsync(Registry, Alice, None));
        Assert.True(await Exclusions.ContainsAsync(Registry, Bob, None));
    }

    [Fact]
    [Covers<IPullExclusionStore>(nameof(IPullExclusionStore.ListAsync))]
    public async Task Listing_pages_in_ordinal_order_with_no_next_key_when_a_page_is_exactly_full()
    {
        string[] arns = [Builder, Bob, Alice, "arn:aws:iam::111111111111:user/Zed"];
        foreach (var arn in arns)
        {
            await Exclusions.AddAsync(Registry, arn, Now, 100, None);
        }

        await Exclusions.AddAsync(new RegistryScope(OtherAccount, Region), "arn:aws:iam::111111111111:user/other", Now, 100, None);

        var first = await Exclusions.ListAsync(Registry, null, 3, None);
        Assert.Equal(["arn:aws:iam::111111111111:user/Zed", Alice, Bob], first.Items);
        Assert.Equal(Bob, first.NextKey);

        var second = await Exclusions.ListAsync(Registry, first.NextKey, 3, None);
        Assert.Equal([Builder], second.Items);
        Assert.Null(second.NextKey);

        var exact = await Exclusions.ListAsync(Registry, null, 4, None);
        Assert.Equal(4, exact.Items.Count);
        Assert.Null(exact.NextKey);

        Assert.Empty((await Exclusions.ListAsync(new RegistryScope(Account, "eu-west-1"), null, 10, None)).Items);
    }
}
