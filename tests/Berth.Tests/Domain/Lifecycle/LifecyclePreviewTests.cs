using Berth.Domain.Lifecycle;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>What GetLifecyclePolicyPreview reports for an evaluation.</summary>
public sealed class LifecyclePreviewTests
{
    [Fact]
    public void Worked_archive_example_previews_two_transitions_then_one_expiry_in_priority_then_age_order()
    {
        var evaluation = Evaluate(LifecycleWorkedExampleTests.ArchivePolicy(), LifecycleWorkedExampleTests.ArchiveImages());

        var results = LifecyclePreview.Results(evaluation);

        Assert.Equal(
            [
                new LifecyclePreviewResult("P1", [], Now - Days(200), RuleAction.TransitionToArchive, 1, StorageClass.Standard),
                new LifecyclePreviewResult("P2", [], Now - Days(120), RuleAction.TransitionToArchive, 1, StorageClass.Standard),
                new LifecyclePreviewResult("R1", [], Now - Days(430), RuleAction.Expire, 2, StorageClass.Archive),
            ],
            results,
            PreviewResultComparer.Instance);
        Assert.Equal(new StorageClass?(StorageClass.Archive), results[0].Action.TargetStorageClass);
        Assert.Null(results[2].Action.TargetStorageClass);
    }

    [Fact]
    public void Results_report_the_original_push_time_and_the_tags()
    {
        var restored = Image("restored", ["v1", "stable"], Days(400)) with { LastActivatedAt = Now - Days(100) };

        var result = Assert.Single(LifecyclePreview.Results(Evaluate(Policy(Rule(1, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """)), restored)));

        Assert.Equal(Now - Days(400), result.ImagePushedAt);
        Assert.Equal(["v1", "stable"], result.ImageTags);
    }

    [Fact]
    public void Results_within_a_rule_go_oldest_first_and_kept_images_are_left_out()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """)),
            Image("b", Days(2)),
            Image("d", Days(4)),
            Image("a", Days(1)),
            Image("c", Days(3)));

        Assert.Equal(["d", "c", "b"], LifecyclePreview.Results(evaluation).Select(r => r.ImageDigest));
    }

    [Fact]
    public void Tag_status_filter_restricts_results_but_not_the_summary()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """)),
            Image("newest", Days(1)),
            Image("tagged", ["v1"], Days(2)),
            Image("untagged", Days(3)));

        Assert.Equal(["tagged"], LifecyclePreview.Results(evaluation, TagStatus.Tagged).Select(r => r.ImageDigest));
        Assert.Equal(["untagged"], LifecyclePreview.Results(evaluation, TagStatus.Untagged).Select(r => r.ImageDigest));
        Assert.Equal(["untagged", "tagged"], LifecyclePreview.Results(evaluation, TagStatus.Any).Select(r => r.ImageDigest));
        Assert.Equal(2, LifecyclePreview.Summary(evaluation).ExpiringImageTotalCount);
    }

    [Fact]
    public void Summary_has_no_transitioning_counts_when_nothing_transitions()
    {
        var evaluation = Evaluate(Policy(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5 """)), Image("a", Days(1)));

        var summary = LifecyclePreview.Summary(evaluation);

        Assert.Equal(0, summary.ExpiringImageTotalCount);
        Assert.Empty(summary.TransitioningImageTotalCounts);
    }

    [Fact]
    public void Referrer_following_its_subject_is_previewed_with_the_subjects_rule()
    {
        var evaluation = Evaluate(
            Policy(
                Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["keep"], "countType": "imageCountMoreThan", "countNumber": 9 """),
                Rule(2, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """)),
            Image("S", Days(10)),
            Referrer("sig", "S", Days(9)));

        Assert.Equal([("S", 2), ("sig", 2)], LifecyclePreview.Results(evaluation).Select(r => (r.ImageDigest, r.AppliedRulePriority)));
    }

    /// <summary>Compares preview results by value, including their tag lists.</summary>
    private sealed class PreviewResultComparer : IEqualityComparer<LifecyclePreviewResult>
    {
        public static readonly PreviewResultComparer Instance = new();

        public bool Equals(LifecyclePreviewResult? x, LifecyclePreviewResult? y) =>
            x is not null && y is not null && x with { ImageTags = [] } == y with { ImageTags = [] } && x.ImageTags.SequenceEqual(y.ImageTags);

        public int GetHashCode(LifecyclePreviewResult obj) => obj.ImageDigest.GetHashCode(StringComparison.Ordinal);
    }
}
