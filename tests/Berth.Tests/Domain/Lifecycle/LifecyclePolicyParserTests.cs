using Berth.Domain.Lifecycle;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>Policies ECR accepts, and what the parser makes of them.</summary>
public sealed class LifecyclePolicyParserTests
{
    private static LifecyclePolicy Accepts(string policyText)
    {
        var result = LifecyclePolicyParser.Parse(policyText);
        Assert.True(result.IsSuccess, result.Error);
        Assert.Null(result.ErrorMessage);
        return result.Policy;
    }

    [Fact]
    public void AWS_combined_archive_example_with_any_rules_in_both_storage_classes_is_accepted()
    {
        var policy = Accepts("""
            {
              "rules": [
                {
                  "rulePriority": 1,
                  "description": "Archive images not pulled in 90 days",
                  "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90},
                  "action": {"type": "transition", "targetStorageClass": "archive"}
                },
                {
                  "rulePriority": 2,
                  "description": "Delete images archived for more than a year",
                  "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365},
                  "action": {"type": "expire"}
                }
              ]
            }
            """);

        Assert.Equal(
            new LifecycleRule(1, "Archive images not pulled in 90 days", policy.Rules[0].Selection, RuleAction.TransitionToArchive),
            policy.Rules[0]);
        var archive = policy.Rules[1].Selection;
        Assert.Equal(
            (TagStatus.Any, StorageClass.Archive, CountType.SinceImageTransitioned, 365, "days"),
            (archive.TagStatus, archive.StorageClass, archive.CountType, archive.CountNumber, archive.CountUnit));
        Assert.Equal(RuleAction.Expire, policy.Rules[1].Action);
    }

    [Fact]
    public void Typical_cleanup_policy_is_read_field_by_field()
    {
        var policy = Accepts("""
            {"rules": [
              {"rulePriority": 1, "description": "keep 10 releases",
               "selection": {"tagStatus": "tagged", "tagPatternList": ["v*.*.*", "*-release"], "countType": "imageCountMoreThan", "countNumber": 10},
               "action": {"type": "expire"}},
              {"rulePriority": 2,
               "selection": {"tagStatus": "tagged", "tagPrefixList": ["pr-"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
               "action": {"type": "expire"}},
              {"rulePriority": 3,
               "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1},
               "action": {"type": "expire"}},
              {"rulePriority": 4,
               "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 500},
               "action": {"type": "expire"}}
            ]}
            """);

        var first = policy.Rules[0].Selection;
        Assert.Equal("keep 10 releases", policy.Rules[0].Description);
        Assert.Equal(["v*.*.*", "*-release"], first.TagPatternList);
        Assert.Empty(first.TagPrefixList);
        Assert.Equal((StorageClass.Standard, CountType.ImageCountMoreThan, 10, (string?)null), (first.StorageClass, first.CountType, first.CountNumber, first.CountUnit));
        Assert.Null(policy.Rules[1].Description);
        Assert.Equal(["pr-"], policy.Rules[1].Selection.TagPrefixList);
        Assert.Equal("days", policy.Rules[1].Selection.CountUnit);
        Assert.Equal(TagStatus.Untagged, policy.Rules[2].Selection.TagStatus);
        Assert.Equal(TagStatus.Any, policy.Rules[3].Selection.TagStatus);
    }

    [Fact]
    public void Rules_are_sorted_by_priority_and_priorities_need_not_be_contiguous()
    {
        var policy = Accepts(PolicyText(
            Rule(100, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(7, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(42, """ "tagStatus": "tagged", "tagPatternList": ["x"], "countType": "imageCountMoreThan", "countNumber": 1 """)));

        Assert.Equal([7, 42, 100], policy.Rules.Select(r => r.Priority));
    }

    [Fact]
    public void Fifty_rules_are_accepted()
    {
        var rules = Enumerable.Range(1, 49)
            .Select(p => Rule(p, $$""" "tagStatus": "tagged", "tagPatternList": ["t{{p}}-*"], "countType": "imageCountMoreThan", "countNumber": 1 """))
            .Append(Rule(50, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """));

        Assert.Equal(LifecyclePolicyParser.MaxRules, Accepts(PolicyText([.. rules])).Rules.Count);
    }

    [Fact]
    public void Pattern_with_4_wildcards_is_accepted() =>
        Accepts(PolicyText(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["*test*1*2*3", "test*1*2*3*"], "countType": "imageCountMoreThan", "countNumber": 1 """)));

    [Fact]
    public void SinceImageTransitioned_of_exactly_90_days_is_accepted() =>
        Accepts(PolicyText(Rule(1, """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """)));

    [Fact]
    public void Transition_works_with_count_and_push_age_as_well_as_pull_age()
    {
        var policy = Accepts(PolicyText(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["old-*"], "countType": "imageCountMoreThan", "countNumber": 3 """, Transition),
            Rule(2, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """, Transition)));

        Assert.All(policy.Rules, r => Assert.Equal(RuleAction.TransitionToArchive, r.Action));
    }

    [Fact]
    public void Same_list_may_repeat_across_storage_classes_and_between_patterns_and_prefixes() =>
        Accepts(PolicyText(
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(3, """ "tagStatus": "tagged", "tagPatternList": ["v"], "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """)));

    [Fact]
    public void One_untagged_rule_per_storage_class_is_accepted() =>
        Accepts(PolicyText(
            Rule(1, """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(2, """ "tagStatus": "untagged", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """)));

    [Fact]
    public void Explicit_standard_storage_class_is_the_default() =>
        Assert.Equal(
            StorageClass.Standard,
            Accepts(PolicyText(Rule(1, """ "tagStatus": "any", "storageClass": "standard", "countType": "imageCountMoreThan", "countNumber": 1 """))).Rules[0].Selection.StorageClass);

    [Fact]
    public void Repeated_property_keeps_its_last_value() =>
        Assert.Equal(
            3,
            Accepts(PolicyText(Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 0, "countNumber": 3 """))).Rules[0].Selection.CountNumber);

    [Fact]
    public void Escaped_and_non_ASCII_text_is_decoded()
    {
        var policy = Accepts(PolicyText(Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["caf\u00e9-*"], "countType": "imageCountMoreThan", "countNumber": 1 """)
            .Replace("\"rulePriority\": 1", "\"rulePriority\": 1, \"description\": \"d\u00e9j\u00e0 \\\"vu\\\" \u2713\"", StringComparison.Ordinal)));

        Assert.Equal("café-*", policy.Rules[0].Selection.TagPatternList[0]);
        Assert.Equal("déjà \"vu\" ✓", policy.Rules[0].Description);
    }
}
