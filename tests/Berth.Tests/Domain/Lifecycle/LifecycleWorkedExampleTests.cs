using Berth.Domain.Lifecycle;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>The worked examples of docs/reference/ecr-semantics.md §7.4, adapted from AWS's lifecycle policy examples.</summary>
public sealed class LifecycleWorkedExampleTests
{
    private static readonly LifecycleImage[] BetaProdImages =
    [
        Image("A", ["beta-1", "prod-1"], Days(10)),
        Image("B", ["beta-2", "prod-2"], Days(9)),
        Image("C", ["beta-3"], Days(8)),
    ];

    [Fact]
    public void LP1_count_rule_on_a_pattern_shields_its_images_from_a_later_count_rule()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "tagged", "tagPatternList": ["beta*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(policy, BetaProdImages);

        Assert.Equal(["A"], evaluation.Expired());
        Assert.Equal(1, evaluation.For("A").RulePriority);
        var b = evaluation.For("B");
        Assert.Equal((LifecycleOutcome.Keep, 1), (b.Outcome, b.RulePriority));
        Assert.StartsWith("shielded by rule 1 (its tag selection matched), so rule 2 may not act on it", b.Reason, StringComparison.Ordinal);
        Assert.Equal((LifecycleOutcome.Keep, 2), (evaluation.For("C").Outcome, evaluation.For("C").RulePriority));
    }

    [Fact]
    public void LP2_swapping_the_priorities_lets_the_beta_rule_expire_A_and_B()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["beta*"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(policy, BetaProdImages);

        Assert.Equal(["A", "B"], evaluation.Expired());
        Assert.All(evaluation.Expired(), d => Assert.Equal(1, evaluation.For(d).RulePriority));
    }

    [Theory]
    [InlineData("""  "tagPatternList": ["alpha*", "beta*"] """)]
    [InlineData("""  "tagPrefixList": ["alpha", "beta"] """)]
    public void LP3_entries_of_one_rule_are_ANDed_so_only_images_with_both_tags_are_candidates(string list)
    {
        var policy = Policy(Rule(1, $""" "tagStatus": "tagged", {list}, "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 5 """));

        var evaluation = Evaluate(
            policy,
            Image("A", ["alpha-1"], Days(12)),
            Image("B", ["beta-1"], Days(11)),
            Image("C", ["alpha-2", "beta-2"], Days(10)),
            Image("D", ["alpha-3"], Days(4)),
            Image("E", ["beta-3"], Days(3)),
            Image("F", ["alpha-4", "beta-4"], Days(2)));

        Assert.Equal(["C"], evaluation.Expired());
        Assert.Null(evaluation.For("A").RulePriority);
        Assert.Equal(1, evaluation.For("F").RulePriority);
    }

    [Fact]
    public void LP4_extra_tags_do_not_stop_an_image_matching_a_count_rule()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["alpha*", "beta*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(
            policy,
            Image("A", ["alpha-1", "beta-1", "gamma-1"], Days(10)),
            Image("B", ["alpha-2", "beta-2"], Days(9)),
            Image("C", ["alpha-3", "beta-3", "gamma-2"], Days(8)));

        Assert.Equal(["A", "B"], evaluation.Expired());
    }

    [Fact]
    public void LP5_an_any_count_rule_keeps_only_the_newest_image()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(
            policy,
            Image("A", ["alpha-1"], Days(4)),
            Image("B", ["beta-1"], Days(3)),
            Image("C", Days(2)),
            Image("D", ["alpha-2"], Days(1)));

        Assert.Equal(["A", "B", "C"], evaluation.Expired());
        Assert.Equal("rule 1 keeps the 1 most recent images: this is #1", evaluation.For("D").Reason);
    }

    [Fact]
    public void LP6_tagged_untagged_and_any_rules_combine_and_the_any_rule_acts_only_on_unshielded_images()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["alpha*"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """),
            Rule(3, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(
            policy,
            Image("A", ["alpha-1", "beta-1"], Days(4)),
            Image("B", Days(3)),
            Image("C", ["alpha-2"], Days(2)),
            Image("D", ["git hash"], TimeSpan.FromHours(25)),
            Image("E", TimeSpan.FromHours(23)));

        Assert.Equal(["A", "B", "D"], evaluation.Expired());
        Assert.Equal(1, evaluation.For("A").RulePriority);
        Assert.Equal(2, evaluation.For("B").RulePriority);
        Assert.Equal(3, evaluation.For("D").RulePriority);
        Assert.Equal(
            "rule 2 expires untagged images pushed more than 1 day ago: pushed 23 hours ago, so it stays",
            evaluation.For("E").Reason);
        Assert.Equal(
            "shielded by rule 1 (its tag selection matched), so rule 3 may not act on it; rule 1 keeps the 1 most recent images tagged alpha*: this is #1",
            evaluation.For("C").Reason);
    }

    [Fact]
    public void LP7_an_untagged_age_rule_never_selects_tagged_images()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14 """));

        var evaluation = Evaluate(policy, Image("U1", Days(20)), Image("U2", Days(10)), Image("T1", ["latest"], Days(30)));

        Assert.Equal(["U1"], evaluation.Expired());
        Assert.Equal("rule 1 expires untagged images pushed more than 14 days ago: pushed 20 days ago", evaluation.For("U1").Reason);
        Assert.Equal("no rule selects this image", evaluation.For("T1").Reason);
    }

    [Fact]
    public void LP8_an_untagged_count_rule_keeps_the_newest_untagged_image_and_ignores_tagged_ones()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(policy, Image("U1", Days(5)), Image("U2", Days(3)), Image("U3", Days(1)), Image("T", ["v1"], Days(9)));

        Assert.Equal(["U1", "U2"], evaluation.Expired());
    }

    [Fact]
    public void LP9_images_unpulled_for_90_days_are_archived_and_images_archived_for_a_year_expire()
    {
        var evaluation = Evaluate(ArchivePolicy(), ArchiveImages());

        Assert.Equal(["P1", "P2"], evaluation.Transitioned());
        Assert.Equal(["R1"], evaluation.Expired());
        Assert.Equal([1, 1, 2], new[] { "P1", "P2", "R1" }.Select(d => evaluation.For(d).RulePriority));
        Assert.Equal(
            "rule 1 transitions images last pulled more than 90 days ago to archive: never pulled, pushed 120 days ago",
            evaluation.For("P2").Reason);
        Assert.Equal(
            "rule 1 transitions images last pulled more than 90 days ago to archive: never pulled, restored from archive 5 days ago, so it stays",
            evaluation.For("P4").Reason);

        var summary = LifecyclePreview.Summary(evaluation);
        Assert.Equal(1, summary.ExpiringImageTotalCount);
        Assert.Equal([new TransitioningImageTotalCount(StorageClass.Archive, 2)], summary.TransitioningImageTotalCounts);
    }

    [Fact]
    public void LP10_children_of_a_manifest_list_that_exists_are_not_expired_until_the_list_is_gone()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """));
        var list = Index("L", ["v1"], Days(10), "X", "Y");
        LifecycleImage[] children = [Image("X", Days(10)), Image("Y", Days(10))];

        var evaluation = Evaluate(policy, [list, .. children, Image("U", Days(10))]);

        Assert.Equal(["U"], evaluation.Expired());
        var x = evaluation.For("X");
        Assert.Equal((LifecycleOutcome.Keep, 1), (x.Outcome, x.RulePriority));
        Assert.StartsWith("kept: referenced by manifest list L", x.Reason, StringComparison.Ordinal);

        var afterListDeleted = Evaluate(policy, children);
        Assert.Equal(["X", "Y"], afterListDeleted.Expired());
    }

    internal static LifecyclePolicy ArchivePolicy() => Policy(
        Rule(1, """ "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90 """, Transition),
        Rule(2, """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 """));

    internal static LifecycleImage[] ArchiveImages() =>
    [
        Image("P1", Days(200)) with { LastPulledAt = Now - Days(100) },
        Image("P2", Days(120)),
        Image("P3", Days(300)) with { LastPulledAt = Now - Days(10) },
        Image("P4", Days(400)) with { LastTransitionedAt = Now - Days(30), LastActivatedAt = Now - Days(5) },
        Archived("R1", Days(400)),
        Archived("R2", Days(100)),
    ];
}
