using Berth.Domain.Lifecycle;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>The evaluation rules of §7.2 at their edges: day boundaries, ties, shielding, lists, referrers, archive.</summary>
public sealed class LifecycleEvaluatorTests
{
    private const string UntaggedOlderThan14Days = """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14 """;
    private const string AnyKeep1 = """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """;
    private const string ArchivedOver90Days = """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """;
    private const string UnpulledOver30Days = """ "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30 """;

    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // Day boundaries: "more than N days" is strictly more than N × 24 h.

    [Fact]
    public void Image_pushed_exactly_N_days_ago_is_not_older_than_N_days_but_one_tick_more_is()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Image("exact", Days(14)), Image("over", Days(14) + Tick), Image("under", Days(14) - Tick));

        Assert.Equal(["over"], evaluation.Expired());
        Assert.Equal("rule 1 expires untagged images pushed more than 14 days ago: pushed 14 days ago, so it stays", evaluation.For("exact").Reason);
        Assert.Equal("rule 1 expires untagged images pushed more than 14 days ago: pushed 13 days 23 hours ago, so it stays", evaluation.For("under").Reason);
    }

    [Fact]
    public void Pull_age_boundary_is_strict_too()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UnpulledOver30Days, Transition)),
            Image("exact", Days(100)) with { LastPulledAt = Now - Days(30) },
            Image("over", Days(100)) with { LastPulledAt = Now - Days(30) - Tick });

        Assert.Equal(["over"], evaluation.Transitioned());
    }

    [Fact]
    public void Archive_age_boundary_is_strict_too()
    {
        var evaluation = Evaluate(Policy(Rule(1, ArchivedOver90Days)), Archived("exact", Days(90)), Archived("over", Days(90) + Tick));

        Assert.Equal(["over"], evaluation.Expired());
        Assert.Equal("rule 1 expires archived images archived more than 90 days ago: archived 90 days ago, so it stays", evaluation.For("exact").Reason);
    }

    [Fact]
    public void Image_pushed_in_the_future_is_never_old_enough()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Image("skewed", -Days(1)));

        Assert.Equal("rule 1 expires untagged images pushed more than 14 days ago: pushed in the future, so it stays", evaluation.For("skewed").Reason);
        Assert.Empty(evaluation.Expired());
    }

    // Counting.

    [Fact]
    public void Count_rule_reports_each_images_place_newest_first()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "imageCountMoreThan", "countNumber": 3 """));

        var evaluation = Evaluate(policy, [.. Enumerable.Range(1, 5).Select(d => Image($"p{d}", [$"prod-{d}"], Days(d)))]);

        Assert.Equal(["p4", "p5"], evaluation.Expired());
        Assert.Equal("rule 1 keeps the 3 most recent images tagged prod*: this is #2", evaluation.For("p2").Reason);
        Assert.Equal("rule 1 keeps the 3 most recent images tagged prod* and expires the rest: this is #5", evaluation.For("p5").Reason);
    }

    [Fact]
    public void Equal_push_times_are_ordered_by_digest_so_the_smaller_digest_counts_as_newer()
    {
        var policy = Policy(Rule(1, AnyKeep1));
        var a = Image("sha256:aaaa", Days(3));
        var b = Image("sha256:bbbb", Days(3));

        Assert.Equal(["sha256:bbbb"], Evaluate(policy, a, b).Expired());
        Assert.Equal(["sha256:bbbb"], Evaluate(policy, b, a).Expired());
    }

    [Fact]
    public void Count_uses_the_restore_time_of_an_image_restored_from_archive()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, AnyKeep1)),
            Image("restored", Days(400)) with { LastTransitionedAt = Now - Days(100), LastActivatedAt = Now - Days(1) },
            Image("recent", Days(2)));

        Assert.Equal(["recent"], evaluation.Expired());
    }

    [Fact]
    public void Push_age_uses_the_restore_time_of_an_image_restored_from_archive()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UntaggedOlderThan14Days)),
            Image("restored", Days(400)) with { LastActivatedAt = Now - Days(3) });

        Assert.Equal("rule 1 expires untagged images pushed more than 14 days ago: restored from archive 3 days ago, so it stays", evaluation.For("restored").Reason);
    }

    // Tag selection.

    [Fact]
    public void Pattern_list_entries_may_be_matched_by_one_tag_or_by_different_tags()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v*", "*-rc*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """));

        var evaluation = Evaluate(
            policy,
            Image("one-tag", ["v2-rc1"], Days(5)),
            Image("two-tags", ["v2", "build-rc7"], Days(5)),
            Image("only-v", ["v3", "latest"], Days(5)),
            Image("only-rc", ["x-rc1"], Days(5)));

        Assert.Equal(["one-tag", "two-tags"], evaluation.Expired());
    }

    [Fact]
    public void Prefixes_are_literal_and_patterns_match_the_whole_tag()
    {
        var prefixPolicy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPrefixList": ["v1"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """));
        var patternPolicy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v1"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """));
        LifecycleImage[] images = [Image("exact", ["v1"], Days(5)), Image("longer", ["v10"], Days(5)), Image("upper", ["V1"], Days(5))];

        Assert.Equal(["exact", "longer"], Evaluate(prefixPolicy, images).Expired());
        Assert.Equal(["exact"], Evaluate(patternPolicy, images).Expired());
    }

    [Fact]
    public void Star_pattern_selects_every_tagged_image_and_no_untagged_one()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

        var evaluation = Evaluate(policy, Image("t1", ["a"], Days(3)), Image("t2", ["b"], Days(2)), Image("u", Days(9)));

        Assert.Equal(["t1"], evaluation.Expired());
        Assert.Null(evaluation.For("u").RulePriority);
    }

    // Shielding.

    [Fact]
    public void Shielded_images_still_take_count_slots_in_a_later_rule()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """),
            Rule(2, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 2 """));

        var evaluation = Evaluate(policy, Image("prod-new", ["prod-2"], Days(1)), Image("prod-old", ["prod-1"], Days(2)), Image("u", Days(3)));

        // Only u is free for rule 2, but it is #3 because both prod images count before it.
        Assert.Equal(["u"], evaluation.Expired());
        Assert.Equal(2, evaluation.For("u").RulePriority);
        Assert.Equal(1, evaluation.For("prod-old").RulePriority);
    }

    [Fact]
    public void Higher_rule_that_keeps_an_image_shields_it_even_when_a_lower_rule_would_expire_it()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["release-*"], "countType": "imageCountMoreThan", "countNumber": 100 """),
            Rule(2, """ "tagStatus": "tagged", "tagPatternList": ["*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7 """));

        var evaluation = Evaluate(policy, Image("release", ["release-1"], Days(300)), Image("feature", ["feature-x"], Days(30)));

        Assert.Equal(["feature"], evaluation.Expired());
        Assert.Equal(
            "shielded by rule 1 (its tag selection matched), so rule 2 may not act on it; rule 1 keeps the 100 most recent images tagged release-*: this is #1",
            evaluation.For("release").Reason);
    }

    [Fact]
    public void Image_expired_by_one_rule_is_not_acted_on_again()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, AnyKeep1));

        var evaluation = Evaluate(policy, Image("u1", Days(1)), Image("u2", Days(2)), Image("t", ["x"], Days(3)));

        Assert.Equal(["t", "u2"], evaluation.Expired());
        Assert.Equal(1, evaluation.For("u2").RulePriority);
        Assert.Equal(2, evaluation.For("t").RulePriority);
    }

    [Fact]
    public void Untagged_tagged_and_any_rules_each_claim_their_own_images()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "tagged", "tagPrefixList": ["dev-"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 3 """),
            Rule(3, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3 """));

        var evaluation = Evaluate(
            policy,
            Image("u-new", Days(1)),
            Image("u-old", Days(8)),
            Image("dev-new", ["dev-2"], Days(2)),
            Image("dev-old", ["dev-1"], Days(4)),
            Image("rel-new", ["1.1"], Days(5)),
            Image("rel-old", ["1.0"], Days(6)));

        // Rule 3 ranks all six: u-new, dev-new, dev-old, rel-new (#4), rel-old (#5), u-old (#6).
        Assert.Equal(["dev-old", "rel-new", "rel-old", "u-old"], evaluation.Expired());
        Assert.Equal([1, 2, 3, 3], new[] { "u-old", "dev-old", "rel-new", "rel-old" }.Select(d => evaluation.For(d).RulePriority));
        Assert.Equal("rule 3 keeps the 3 most recent images and expires the rest: this is #4", evaluation.For("rel-new").Reason);
    }

    [Fact]
    public void Rules_apply_in_priority_order_even_when_a_policy_lists_them_unsorted()
    {
        var sorted = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["beta*"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "imageCountMoreThan", "countNumber": 1 """));
        var unsorted = new LifecyclePolicy([sorted.Rules[1], sorted.Rules[0]]);
        LifecycleImage[] images = [Image("A", ["beta-1", "prod-1"], Days(10)), Image("B", ["beta-2", "prod-2"], Days(9)), Image("C", ["beta-3"], Days(8))];

        Assert.Equal(["A", "B"], LifecycleEvaluator.Evaluate(unsorted, images, Now).Expired());
    }

    [Fact]
    public void Image_no_rule_selects_is_kept_without_a_rule()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Image("tagged", ["v1"], Days(100)));

        Assert.Equal(new LifecycleDecision("tagged", LifecycleOutcome.Keep, null, "no rule selects this image"), evaluation.For("tagged"));
    }

    // Manifest lists and indexes.

    [Fact]
    public void Children_stay_for_this_evaluation_even_when_their_list_expires_now()
    {
        var policy = Policy(Rule(1, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7 """));

        var evaluation = Evaluate(policy, Index("L", ["v1"], Days(30), "X", "Y"), Image("X", Days(30)), Image("Y", Days(30)));

        Assert.Equal(["L"], evaluation.Expired());
        Assert.Equal(
            "kept: referenced by manifest list L, which must be deleted first; otherwise rule 1 expires images pushed more than 7 days ago: pushed 30 days ago",
            evaluation.For("X").Reason);
    }

    [Fact]
    public void Children_are_not_transitioned_while_their_list_exists()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UnpulledOver30Days, Transition)),
            Index("L", ["v1"], Days(1), "X"),
            Image("X", Days(60)),
            Image("loose", Days(60)));

        Assert.Equal(["loose"], evaluation.Transitioned());
    }

    [Fact]
    public void Children_still_count_and_are_shielded_by_the_rule_that_claims_them()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5 """));

        var evaluation = Evaluate(policy, Image("X", Days(1)), Index("L", ["v1"], Days(2), "Y"), Image("Y", Days(3)), Image("U", Days(4)));

        Assert.Equal(["U"], evaluation.Expired());
        Assert.Equal((LifecycleOutcome.Keep, 1), (evaluation.For("Y").Outcome, evaluation.For("Y").RulePriority));
    }

    [Fact]
    public void Nested_index_and_children_are_protected_by_the_list_above_them()
    {
        var policy = Policy(Rule(1, UntaggedOlderThan14Days));

        var evaluation = Evaluate(
            policy,
            Index("top", ["v1"], Days(30), "inner"),
            Index("inner", [], Days(30), "leaf"),
            Image("leaf", Days(30)));

        Assert.Empty(evaluation.Expired());
    }

    [Fact]
    public void Child_digests_missing_from_the_repository_are_ignored()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Index("L", [], Days(30), "gone"));

        Assert.Equal(["L"], evaluation.Expired());
    }

    [Fact]
    public void Digest_list_of_a_plain_image_does_not_protect_anything()
    {
        var notAnIndex = Image("M", ["v1"], Days(1)) with { ChildDigests = ["X"] };

        Assert.Equal(["X"], Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), notAnIndex, Image("X", Days(30))).Expired());
    }

    // Referrers.

    [Fact]
    public void Referrer_is_expired_with_its_subject_by_the_subjects_rule()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Image("S", Days(30)), Referrer("sig", "S", Days(29)));

        var sig = evaluation.For("sig");
        Assert.Equal(new LifecycleDecision("sig", LifecycleOutcome.Expire, 1, "follows its subject S, which rule 1 expires"), sig);
    }

    [Fact]
    public void Referrer_of_a_kept_subject_stays_even_when_a_rule_would_select_it_on_its_own()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1 """), Rule(2, UntaggedOlderThan14Days)),
            Image("S", ["v1"], Days(60)),
            Referrer("sig", "S", Days(59)));

        Assert.Empty(evaluation.Expired());
        Assert.Equal(new LifecycleDecision("sig", LifecycleOutcome.Keep, 1, "kept: follows its subject S, which is kept"), evaluation.For("sig"));
    }

    [Fact]
    public void Referrers_take_no_count_slots()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """)),
            Image("T", ["v1"], Days(5)),
            Referrer("sig", "T", Days(1)),
            Image("U", Days(2)));

        Assert.Empty(evaluation.Expired());
        Assert.Equal("rule 1 keeps the 1 most recent untagged images: this is #1", evaluation.For("U").Reason);
    }

    [Fact]
    public void Referrer_is_transitioned_with_its_subject()
    {
        var evaluation = Evaluate(Policy(Rule(1, UnpulledOver30Days, Transition)), Image("S", Days(60)), Referrer("sbom", "S", Days(1)));

        Assert.Equal(["S", "sbom"], evaluation.Transitioned());
        Assert.Equal("follows its subject S, which rule 1 transitions to archive", evaluation.For("sbom").Reason);
    }

    [Fact]
    public void Archived_referrer_of_a_transitioned_subject_stays_where_it_is()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UnpulledOver30Days, Transition)),
            Image("S", Days(60)),
            Archived("old-sig", Days(10)) with { SubjectDigest = "S" });

        Assert.Equal((LifecycleOutcome.Keep, 1), (evaluation.For("old-sig").Outcome, evaluation.For("old-sig").RulePriority));
    }

    [Fact]
    public void Archived_referrer_is_expired_with_its_archived_subject()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, AnyKeep1), Rule(2, ArchivedOver90Days)),
            Archived("S", Days(200)),
            Archived("sig", Days(10)) with { SubjectDigest = "S" });

        Assert.Equal(["S", "sig"], evaluation.Expired());
        Assert.Equal(2, evaluation.For("sig").RulePriority);
    }

    [Fact]
    public void Referrer_chain_follows_the_image_at_its_root()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UntaggedOlderThan14Days)),
            Referrer("sig-of-sbom", "sbom", Days(1)),
            Referrer("sbom", "S", Days(1)),
            Image("S", Days(30)));

        Assert.Equal(["S", "sbom", "sig-of-sbom"], evaluation.Expired());
        Assert.Equal("follows its subject sbom, which rule 1 expires", evaluation.For("sig-of-sbom").Reason);
    }

    [Fact]
    public void Referrer_whose_subject_is_gone_is_judged_as_an_ordinary_image()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Referrer("orphan", "deleted", Days(30)), Referrer("young", "deleted", Days(1)));

        Assert.Equal(["orphan"], evaluation.Expired());
    }

    [Fact]
    public void Referrers_that_name_each_other_as_subject_are_kept()
    {
        var evaluation = Evaluate(Policy(Rule(1, UntaggedOlderThan14Days)), Referrer("a", "b", Days(30)), Referrer("b", "a", Days(30)));

        Assert.Empty(evaluation.Expired());
        Assert.Equal(2, evaluation.Decisions.Count);
    }

    // Storage classes.

    [Fact]
    public void Archive_rules_ignore_standard_images()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, ArchivedOver90Days)),
            Image("restored", Days(500)) with { LastTransitionedAt = Now - Days(400), LastActivatedAt = Now - Days(200) },
            Archived("archived", Days(100)));

        Assert.Equal(["archived"], evaluation.Expired());
        Assert.Null(evaluation.For("restored").RulePriority);
    }

    [Fact]
    public void Standard_rules_ignore_archived_images_and_do_not_count_them()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, AnyKeep1)),
            Archived("archived-new", Days(100)) with { PushedAt = Now - Days(1) },
            Image("standard-old", Days(50)),
            Image("standard-older", Days(60)));

        Assert.Equal(["standard-older"], evaluation.Expired());
        Assert.Null(evaluation.For("archived-new").RulePriority);
    }

    [Fact]
    public void Archived_image_with_no_archive_time_is_kept()
    {
        var unknown = Archived("unknown", Days(500)) with { LastTransitionedAt = null };

        var decision = Evaluate(Policy(Rule(1, ArchivedOver90Days)), unknown).For("unknown");

        Assert.Equal(new LifecycleDecision("unknown", LifecycleOutcome.Keep, 1, "rule 1 expires archived images archived more than 90 days ago: no archive time is recorded, so it stays"), decision);
    }

    [Fact]
    public void Pull_age_counts_from_the_last_pull_or_else_from_the_push()
    {
        var evaluation = Evaluate(
            Policy(Rule(1, UnpulledOver30Days, Transition)),
            Image("never-pulled-old", Days(31)),
            Image("never-pulled-new", Days(29)),
            Image("pulled-recently", Days(300)) with { LastPulledAt = Now - Days(2) },
            Image("pulled-long-ago", Days(300)) with { LastPulledAt = Now - Days(45) },
            Image("pull-before-restore", Days(300)) with { LastPulledAt = Now - Days(200), LastActivatedAt = Now - Days(10) });

        Assert.Equal(["never-pulled-old", "pulled-long-ago"], evaluation.Transitioned());
        Assert.Equal(
            "rule 1 transitions images last pulled more than 30 days ago to archive: not pulled since it was restored from archive 10 days ago, so it stays",
            evaluation.For("pull-before-restore").Reason);
        Assert.Equal(
            "rule 1 transitions images last pulled more than 30 days ago to archive: last pulled 45 days ago",
            evaluation.For("pulled-long-ago").Reason);
    }

    // Sizes.

    [Fact]
    public void Empty_repository_gives_no_decisions()
    {
        var evaluation = Evaluate(Policy(Rule(1, AnyKeep1)));

        Assert.Empty(evaluation.Decisions);
        Assert.Equal(Now, evaluation.EvaluatedAt);
        Assert.Empty(LifecyclePreview.Results(evaluation));
    }

    [Fact]
    public void Fifty_rule_policy_claims_each_image_by_its_first_matching_rule()
    {
        var rules = Enumerable.Range(1, 49)
            .Select(p => Rule(p, $$""" "tagStatus": "tagged", "tagPatternList": ["t{{p}}-*"], "countType": "imageCountMoreThan", "countNumber": 1 """))
            .Append(Rule(50, AnyKeep1));
        var images = Enumerable.Range(1, 49)
            .SelectMany(p => new[] { Image($"new{p}", [$"t{p}-b"], Days(1)), Image($"old{p}", [$"t{p}-a"], Days(2)) })
            .Append(Image("untagged", Days(3)))
            .ToArray();

        var evaluation = Evaluate(Policy([.. rules]), images);

        Assert.Equal(50, evaluation.Count(LifecycleOutcome.Expire));
        Assert.Equal(49, evaluation.Decisions.Count(d => d.Outcome == LifecycleOutcome.Expire && d.Digest.StartsWith("old", StringComparison.Ordinal)));
        Assert.Equal(37, evaluation.For("old37").RulePriority);
        Assert.Equal(50, evaluation.For("untagged").RulePriority);
    }

    /// <summary>
    /// Not a timing test: it shows the evaluator copes with a repository at ECR's image quota times ten. The
    /// algorithm is one sort plus one pass per rule, O(rules × n + n log n).
    /// </summary>
    [Fact]
    public void Hundred_thousand_images_with_a_five_rule_policy_are_all_decided()
    {
        var policy = Policy(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["prod-*"], "countType": "imageCountMoreThan", "countNumber": 100 """),
            Rule(2, """ "tagStatus": "tagged", "tagPrefixList": ["pr-"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14 """),
            Rule(3, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 """),
            Rule(4, """ "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90 """, Transition),
            Rule(5, ArchivedOver90Days));
        var images = new LifecycleImage[100_000];
        for (var i = 0; i < images.Length; i++)
        {
            var age = TimeSpan.FromMinutes(i * 7);
            images[i] = (i % 5) switch
            {
                0 => Image($"sha256:{i:x8}", [$"prod-{i}"], age),
                1 => Image($"sha256:{i:x8}", [$"pr-{i}", "ci"], age),
                2 => Image($"sha256:{i:x8}", age),
                3 => Image($"sha256:{i:x8}", [$"misc-{i}"], age) with { LastPulledAt = Now - age / 2 },
                _ => Archived($"sha256:{i:x8}", age),
            };
        }

        var evaluation = LifecycleEvaluator.Evaluate(policy, images, Now);

        Assert.Equal(images.Length, evaluation.Decisions.Count);
        Assert.Equal(19_900, evaluation.Decisions.Count(d => d.RulePriority == 1 && d.Outcome == LifecycleOutcome.Expire));
        Assert.Equal(images.Length, evaluation.Count(LifecycleOutcome.Expire) + evaluation.Count(LifecycleOutcome.Transition) + evaluation.Count(LifecycleOutcome.Keep));
    }
}
