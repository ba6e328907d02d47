using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Tests.Storage;

/// <summary>
/// The lifecycle part of the metadata-store contract (policies, previews and the lifecycle view of images) that every
/// backend must pass; each backend derives and names its harness.
/// </summary>
public abstract class LifecycleStoreSuite : MetadataSuite
{
    private const string Policy = """
        { "rules": [ { "rulePriority": 1, "selection": { "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 }, "action": { "type": "expire" } } ] }
        """;

    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(10);

    private ILifecycleStore Lifecycle => Store.Lifecycle;

    private static PreviewResultRecord Result(string name, bool transition = false, params string[] tags) =>
        new(Digest.Compute(System.Text.Encoding.UTF8.GetBytes(name)), tags, Now.AddMinutes(-5), transition, 3, ImageStorageClass.Standard);

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.PutPolicyAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.GetPolicyAsync))]
    public async Task A_policy_is_kept_exactly_as_sent_and_replaced_by_the_next()
    {
        var web = await CreateRepositoryAsync("web");
        Assert.Null(await Lifecycle.GetPolicyAsync(web, None));

        Assert.True(await Lifecycle.PutPolicyAsync(web, "  {\n\t\"rules\" : [] }  ", None));
        var read = await Lifecycle.GetPolicyAsync(web, None);
        Assert.Equal("  {\n\t\"rules\" : [] }  ", read!.Text);
        Assert.Null(read.LastEvaluatedAt);

        Assert.True(await Lifecycle.PutPolicyAsync(web, Policy, None));
        Assert.Equal(Policy, (await Lifecycle.GetPolicyAsync(web, None))!.Text);
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.PutPolicyAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.GetPolicyAsync))]
    public async Task Policies_belong_to_one_existing_repository()
    {
        var web = await CreateRepositoryAsync("web");
        var theirs = await CreateRepositoryAsync("web", account: OtherAccount);
        await Lifecycle.PutPolicyAsync(web, Policy, None);

        Assert.False(await Lifecycle.PutPolicyAsync(Key("missing"), Policy, None));
        Assert.Null(await Lifecycle.GetPolicyAsync(Key("missing"), None));
        Assert.Null(await Lifecycle.GetPolicyAsync(theirs, None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.DeletePolicyAsync))]
    public async Task Delete_returns_the_policy_once()
    {
        var web = await CreateRepositoryAsync("web");
        await Lifecycle.PutPolicyAsync(web, Policy, None);
        await Lifecycle.MarkEvaluatedAsync(web, Now, None);

        var deleted = await Lifecycle.DeletePolicyAsync(web, None);

        Assert.Equal(new LifecyclePolicyRecord(Policy, Now), deleted);
        Assert.Null(await Lifecycle.GetPolicyAsync(web, None));
        Assert.Null(await Lifecycle.DeletePolicyAsync(web, None));
        Assert.Null(await Lifecycle.DeletePolicyAsync(Key("missing"), None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.MarkEvaluatedAsync))]
    public async Task MarkEvaluated_records_when_the_policy_was_last_evaluated()
    {
        var web = await CreateRepositoryAsync("web");
        var bare = await CreateRepositoryAsync("bare");
        await Lifecycle.PutPolicyAsync(web, Policy, None);

        await Lifecycle.MarkEvaluatedAsync(web, Now.AddHours(1), None);
        await Lifecycle.MarkEvaluatedAsync(bare, Now, None);
        await Lifecycle.MarkEvaluatedAsync(Key("missing"), Now, None);

        Assert.Equal(Now.AddHours(1), (await Lifecycle.GetPolicyAsync(web, None))!.LastEvaluatedAt);
        Assert.Null(await Lifecycle.GetPolicyAsync(bare, None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListRepositoriesWithPolicyAsync))]
    public async Task Repositories_with_a_policy_are_listed_across_accounts_and_regions()
    {
        var web = await CreateRepositoryAsync("web");
        var theirs = await CreateRepositoryAsync("web", account: OtherAccount);
        var europe = Key("api", region: "eu-west-1");
        Assert.True(await Store.Repositories.CreateAsync(Repo("api", region: "eu-west-1"), [], None));
        var dropped = await CreateRepositoryAsync("dropped");
        var deleted = await CreateRepositoryAsync("deleted");
        await CreateRepositoryAsync("without");
        foreach (var key in new[] { web, theirs, europe, dropped, deleted })
        {
            Assert.True(await Lifecycle.PutPolicyAsync(key, Policy, None));
        }

        await Lifecycle.DeletePolicyAsync(dropped, None);
        await Store.Repositories.DeleteAsync(deleted, None);

        var listed = await Lifecycle.ListRepositoriesWithPolicyAsync(None);

        Assert.Equal(new HashSet<RepositoryKey> { web, theirs, europe }, listed.ToHashSet());
        Assert.Equal(3, listed.Count);
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListImagesForLifecycleAsync))]
    public async Task Images_for_lifecycle_carry_what_rules_look_at_ordered_by_digest()
    {
        var web = await CreateRepositoryAsync("web");
        var child = Image("child");
        var index = Image("index", IndexType, subject: Digest.Compute("subject"u8));
        await PutAsync(web, child, "b-tag");
        await PutAsync(web, child, "a-tag");
        await PutAsync(web, index, null, ManifestRef(child.Image));
        await Images.RecordPullAsync(web, child.Image.Digest, Now.AddMinutes(1), None);
        await Lifecycle.SetStorageClassAsync(web, index.Image.Digest, ImageStorageClass.Archive, Now.AddMinutes(2), None);

        var images = await Lifecycle.ListImagesForLifecycleAsync(web, None);

        Assert.Equal(new[] { child.Image.Digest, index.Image.Digest }.OrderBy(d => d.ToString(), StringComparer.Ordinal), images.Select(i => i.Digest));
        var readChild = images.Single(i => i.Digest == child.Image.Digest);
        Assert.Equal(["a-tag", "b-tag"], readChild.Tags);
        Assert.Equal(Now, readChild.PushedAt);
        Assert.Equal(Now.AddMinutes(1), readChild.LastPulledAt);
        Assert.Null(readChild.LastArchivedAt);
        Assert.Equal(ImageStorageClass.Standard, readChild.StorageClass);
        Assert.Equal(ManifestType, readChild.MediaType);
        Assert.Empty(readChild.ChildDigests);
        Assert.Null(readChild.Subject);
        var readIndex = images.Single(i => i.Digest == index.Image.Digest);
        Assert.Empty(readIndex.Tags);
        Assert.Equal(IndexType, readIndex.MediaType);
        Assert.Equal([child.Image.Digest], readIndex.ChildDigests);
        Assert.Equal(Digest.Compute("subject"u8), readIndex.Subject);
        Assert.Equal(ImageStorageClass.Archive, readIndex.StorageClass);
        Assert.Equal(Now.AddMinutes(2), readIndex.LastArchivedAt);
        Assert.Null(readIndex.LastPulledAt);
        Assert.Empty(await Lifecycle.ListImagesForLifecycleAsync(Key("missing"), None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.SetStorageClassAsync))]
    public async Task Archiving_and_restoring_record_their_times_and_change_what_listings_show()
    {
        var web = await CreateRepositoryAsync("web");
        var image = Image("image");
        await PutAsync(web, image, "v1");

        Assert.True(await Lifecycle.SetStorageClassAsync(web, image.Image.Digest, ImageStorageClass.Archive, Now.AddDays(1), None));

        var archived = await Images.GetImageAsync(web, image.Image.Digest, None);
        Assert.Equal(ImageStorageClass.Archive, archived!.StorageClass);
        Assert.Equal(Now.AddDays(1), archived.LastArchivedAt);
        Assert.Empty((await Images.DescribeImagesAsync(web, TagStatusFilter.Any, ImageStatusFilter.Active, null, 10, None))!.Items);
        Assert.Single((await Images.DescribeImagesAsync(web, TagStatusFilter.Any, ImageStatusFilter.Archived, null, 10, None))!.Items);

        Assert.True(await Lifecycle.SetStorageClassAsync(web, image.Image.Digest, ImageStorageClass.Standard, Now.AddDays(2), None));

        var restored = await Images.GetImageAsync(web, image.Image.Digest, None);
        Assert.Equal(ImageStorageClass.Standard, restored!.StorageClass);
        Assert.Equal(Now.AddDays(1), restored.LastArchivedAt);
        Assert.Equal(Now.AddDays(2), restored.LastActivatedAt);
        Assert.Equal(Now.AddDays(2), (await Lifecycle.ListImagesForLifecycleAsync(web, None)).Single().LastActivatedAt);
        Assert.False(await Lifecycle.SetStorageClassAsync(web, Digest.Compute("absent"u8), ImageStorageClass.Archive, Now, None));
        Assert.False(await Lifecycle.SetStorageClassAsync(Key("missing"), image.Image.Digest, ImageStorageClass.Archive, Now, None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.StartPreviewAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.GetPreviewAsync))]
    public async Task A_preview_starts_once_until_it_finishes_or_goes_stale()
    {
        var web = await CreateRepositoryAsync("web");
        Assert.Null(await Lifecycle.GetPreviewAsync(web, None));

        Assert.Equal(PreviewStartOutcome.Started, await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None));
        Assert.Equal(new PreviewRecord(Policy, PreviewStatus.InProgress, Now, null), await Lifecycle.GetPreviewAsync(web, None));
        Assert.Equal(PreviewStartOutcome.InProgress, await Lifecycle.StartPreviewAsync(web, "other", Now.AddMinutes(5), Stale, None));
        Assert.Equal(Policy, (await Lifecycle.GetPreviewAsync(web, None))!.PolicyText);

        // Left in progress by a crash: replaced once stale.
        Assert.Equal(PreviewStartOutcome.Started, await Lifecycle.StartPreviewAsync(web, "other", Now.AddMinutes(11), Stale, None));
        Assert.Equal(new PreviewRecord("other", PreviewStatus.InProgress, Now.AddMinutes(11), null), await Lifecycle.GetPreviewAsync(web, None));

        await Lifecycle.CompletePreviewAsync(web, [], Now.AddMinutes(12), None);
        Assert.Equal(PreviewStartOutcome.Started, await Lifecycle.StartPreviewAsync(web, Policy, Now.AddMinutes(13), Stale, None));
        Assert.Equal(PreviewStartOutcome.RepositoryNotFound, await Lifecycle.StartPreviewAsync(Key("missing"), Policy, Now, Stale, None));
        Assert.Null(await Lifecycle.GetPreviewAsync(Key("missing"), None));
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.CompletePreviewAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListPreviewResultsAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.GetPreviewAsync))]
    public async Task A_completed_preview_keeps_its_results_and_counts()
    {
        var web = await CreateRepositoryAsync("web");
        var expire = Result("expire", false, "v1", "latest");
        var transition = Result("transition", true) with { StorageClass = ImageStorageClass.Archive, RulePriority = 7 };
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);

        await Lifecycle.CompletePreviewAsync(web, [expire, transition], Now.AddSeconds(3), None);

        var preview = await Lifecycle.GetPreviewAsync(web, None);
        Assert.Equal(new PreviewRecord(Policy, PreviewStatus.Complete, Now, Now.AddSeconds(3)) { ExpiringCount = 1, TransitioningCount = 1 }, preview);
        var page = await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, null, 10, None);
        Assert.Null(page.NextKey);
        var ordered = new[] { expire, transition }.OrderBy(r => r.Digest.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(ordered.Select(r => r.Digest), page.Items.Select(r => r.Digest));
        var readExpire = page.Items.Single(r => r.Digest == expire.Digest);
        Assert.Equal(["v1", "latest"], readExpire.Tags);
        Assert.Equal(expire.PushedAt, readExpire.PushedAt);
        Assert.False(readExpire.Transition);
        Assert.Equal(3, readExpire.RulePriority);
        Assert.Equal(ImageStorageClass.Standard, readExpire.StorageClass);
        var readTransition = page.Items.Single(r => r.Digest == transition.Digest);
        Assert.Empty(readTransition.Tags);
        Assert.True(readTransition.Transition);
        Assert.Equal(7, readTransition.RulePriority);
        Assert.Equal(ImageStorageClass.Archive, readTransition.StorageClass);
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListPreviewResultsAsync))]
    public async Task Preview_results_page_by_digest_and_filter_by_tag_status()
    {
        var web = await CreateRepositoryAsync("web");
        var results = Enumerable.Range(0, 5)
            .Select(i => Result("result " + i, false, i % 2 == 0 ? ["t" + i] : []))
            .OrderBy(r => r.Digest.ToString(), StringComparer.Ordinal)
            .ToArray();
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);
        await Lifecycle.CompletePreviewAsync(web, results, Now, None);

        var first = await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, null, 2, None);
        var second = await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, first.NextKey, 2, None);
        var third = await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, second.NextKey, 2, None);

        Assert.Equal(results.Select(r => r.Digest), first.Items.Concat(second.Items).Concat(third.Items).Select(r => r.Digest));
        Assert.Equal(results[1].Digest.ToString(), first.NextKey);
        Assert.Null(third.NextKey);
        Assert.Equal(
            results.Where(r => r.Tags.Count > 0).Select(r => r.Digest),
            (await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Tagged, null, 10, None)).Items.Select(r => r.Digest));
        Assert.Equal(
            results.Where(r => r.Tags.Count == 0).Select(r => r.Digest),
            (await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Untagged, null, 10, None)).Items.Select(r => r.Digest));
        Assert.Empty((await Lifecycle.ListPreviewResultsAsync(Key("missing"), TagStatusFilter.Any, null, 10, None)).Items);
    }

    [Theory]
    [InlineData(TagStatusFilter.Any)]
    [InlineData(TagStatusFilter.Tagged)]
    [InlineData(TagStatusFilter.Untagged)]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListPreviewResultsAsync))]
    public async Task Thousands_of_preview_results_page_in_digest_order_with_nothing_lost_or_repeated(TagStatusFilter filter)
    {
        var web = await CreateRepositoryAsync("web");
        // Untagged ones come in runs longer than a page, so a tagged page has to reach past them.
        var results = Enumerable.Range(0, 2_000)
            .Select(i => Result("many " + i, i % 7 == 0, i % 500 < 300 ? [] : ["t" + i, "also-" + i]))
            .ToArray();
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);
        await Lifecycle.CompletePreviewAsync(web, results, Now, None);
        var expected = results
            .Where(r => filter switch { TagStatusFilter.Tagged => r.Tags.Count > 0, TagStatusFilter.Untagged => r.Tags.Count == 0, _ => true })
            .OrderBy(r => r.Digest.ToString(), StringComparer.Ordinal)
            .ToArray();

        var read = new List<PreviewResultRecord>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await Lifecycle.ListPreviewResultsAsync(web, filter, next, 100, None);
            Assert.True(page.Items.Count == 100 || page.NextKey is null, "only the last page may be short");
            read.AddRange(page.Items);
            next = page.NextKey;
            pages++;
        }
        while (next is not null);

        Assert.Equal(expected.Select(r => r.Digest), read.Select(r => r.Digest));
        Assert.Equal((expected.Length + 99) / 100, pages);
        var sample = expected[expected.Length / 2];
        var readSample = read.Single(r => r.Digest == sample.Digest);
        Assert.Equal(sample.Tags, readSample.Tags);
        Assert.Equal(sample.Transition, readSample.Transition);
        Assert.Equal(sample.PushedAt, readSample.PushedAt);
        Assert.Equal(3, readSample.RulePriority);
        Assert.Equal(results.Length - results.Count(r => r.Transition), (await Lifecycle.GetPreviewAsync(web, None))!.ExpiringCount);
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.StartPreviewAsync))]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.ListPreviewResultsAsync))]
    public async Task A_new_preview_drops_the_previous_results()
    {
        var web = await CreateRepositoryAsync("web");
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);
        await Lifecycle.CompletePreviewAsync(web, [Result("old")], Now, None);

        await Lifecycle.StartPreviewAsync(web, Policy, Now.AddMinutes(1), Stale, None);

        Assert.Empty((await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, null, 10, None)).Items);
        Assert.Equal(PreviewStatus.InProgress, (await Lifecycle.GetPreviewAsync(web, None))!.Status);
    }

    [Fact]
    [Covers<ILifecycleStore>(nameof(ILifecycleStore.FailPreviewAsync))]
    public async Task A_failed_preview_is_marked_failed_with_no_results()
    {
        var web = await CreateRepositoryAsync("web");
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);

        await Lifecycle.FailPreviewAsync(web, Now.AddSeconds(1), None);
        await Lifecycle.FailPreviewAsync(Key("missing"), Now, None);

        Assert.Equal(new PreviewRecord(Policy, PreviewStatus.Failed, Now, Now.AddSeconds(1)), await Lifecycle.GetPreviewAsync(web, None));
        Assert.Empty((await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, null, 10, None)).Items);
        Assert.Equal(PreviewStartOutcome.Started, await Lifecycle.StartPreviewAsync(web, Policy, Now.AddSeconds(2), Stale, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.DeleteAsync))]
    public async Task Deleting_a_repository_drops_its_policy_and_preview()
    {
        var web = await CreateRepositoryAsync("web");
        await Lifecycle.PutPolicyAsync(web, Policy, None);
        await Lifecycle.StartPreviewAsync(web, Policy, Now, Stale, None);
        await Lifecycle.CompletePreviewAsync(web, [Result("one")], Now, None);

        await Store.Repositories.DeleteAsync(web, None);
        await CreateRepositoryAsync("web");

        Assert.Null(await Lifecycle.GetPolicyAsync(web, None));
        Assert.Null(await Lifecycle.GetPreviewAsync(web, None));
        Assert.Empty((await Lifecycle.ListPreviewResultsAsync(web, TagStatusFilter.Any, null, 10, None)).Items);
    }
}
