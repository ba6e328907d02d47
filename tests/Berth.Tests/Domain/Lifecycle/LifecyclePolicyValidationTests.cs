using Berth.Domain.Lifecycle;
using Berth.Ecr.Model;
using Berth.Tests.Ecr.Model;
using static Berth.Tests.Domain.Lifecycle.LifecycleFixtures;

namespace Berth.Tests.Domain.Lifecycle;

/// <summary>Policies ECR refuses, with the detail it reports; the §7.1 fixtures first, then the rest of the grammar.</summary>
public sealed class LifecyclePolicyValidationTests
{
    private const string NoSchemaMatched = "instance failed to match exactly one schema (matched 0 out of 2)";
    private const string AnyCount = """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1 """;
    private const string UntaggedCount = """ "tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1 """;

    private static void Rejects(string policyText, string detail)
    {
        var result = LifecyclePolicyParser.Parse(policyText);
        Assert.False(result.IsSuccess);
        Assert.Equal(detail, result.Error);
    }

    private static void RejectsRules(string detail, params string[] rules) => Rejects(PolicyText(rules), detail);

    // §7.1 validation fixtures.

    [Fact]
    public void Fixture_tagged_rule_with_no_list_is_rejected() =>
        RejectsRules(
            "rule 1: tagStatus tagged requires exactly one of tagPatternList or tagPrefixList",
            Rule(1, """ "tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_untagged_rule_with_a_prefix_list_is_rejected() =>
        RejectsRules(
            "rule 1: tagPatternList and tagPrefixList are allowed only when tagStatus is tagged",
            Rule(1, """ "tagStatus": "untagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_rule_with_both_pattern_and_prefix_lists_is_rejected() =>
        RejectsRules(
            "rule 1: tagPatternList and tagPrefixList cannot be used together; a tagged rule takes exactly one of them",
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v*"], "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_countUnit_with_imageCountMoreThan_matches_no_schema() =>
        RejectsRules(NoSchemaMatched, Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 1 """));

    [Fact]
    public void Fixture_countNumber_0_is_below_the_minimum() =>
        RejectsRules(
            "numeric instance is lower than the required minimum (minimum: 1, found: 0)",
            Rule(1, """ "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 0 """));

    [Fact]
    public void Fixture_two_rules_with_the_same_rulePriority_are_rejected() =>
        RejectsRules(
            "rulePriority 1 is used by more than one rule; each rule needs a unique rulePriority",
            Rule(1, UntaggedCount),
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_any_rule_before_a_tagged_standard_rule_is_rejected() =>
        RejectsRules(
            "rule 1 has tagStatus any, so it must have the highest rulePriority among the standard rules, but rule 2 comes after it",
            Rule(1, AnyCount),
            Rule(2, """ "tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_two_untagged_standard_rules_are_rejected() =>
        RejectsRules(
            "rules 1 and 2 both select untagged standard images; a storage class may have only one untagged rule",
            Rule(1, UntaggedCount),
            Rule(2, """ "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7 """));

    [Fact]
    public void Fixture_pattern_with_5_wildcards_is_rejected() =>
        RejectsRules(
            "rule 1: tag pattern 'a*b*c*d*e*f' has 5 wildcards; at most 4 are allowed",
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": ["prod*", "a*b*c*d*e*f"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Fixture_sinceImagePulled_with_expire_is_rejected() =>
        RejectsRules(
            "rule 1: countType sinceImagePulled can be used only with action type transition",
            Rule(1, """ "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30 """));

    [Fact]
    public void Fixture_sinceImageTransitioned_without_storageClass_archive_is_rejected() =>
        RejectsRules(
            "rule 1: countType sinceImageTransitioned requires storageClass archive",
            Rule(1, """ "tagStatus": "any", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 """));

    [Fact]
    public void Fixture_transition_without_targetStorageClass_is_rejected() =>
        RejectsRules(
            "rule 1: action type transition requires targetStorageClass archive",
            Rule(1, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """, """{"type": "transition"}"""));

    [Fact]
    public void Fixture_text_shorter_than_100_characters_is_rejected_by_the_request_validator()
    {
        var text = PolicyText(Rule(1, AnyCount)).Replace(" ", "", StringComparison.Ordinal);
        Assert.True(text.Length >= LifecyclePolicyParser.MinTextLength, "the smallest useful policy is already 100 characters");
        var tooShort = """{"rules":[]}""";

        ValidatorAssert.Violates(
            "PutLifecyclePolicy",
            $$"""{"repositoryName": "app", "lifecyclePolicyText": "{{tooShort.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""",
            "lifecyclePolicyText",
            "Member must have length greater than or equal to 100");
    }

    [Fact]
    public void Text_length_constants_match_the_service_model()
    {
        var shape = EcrModel.Shared.GetShape("LifecyclePolicyText");

        Assert.Equal(LifecyclePolicyParser.MinTextLength, shape.Min);
        Assert.Equal(LifecyclePolicyParser.MaxTextLength, shape.Max);
    }

    [Fact]
    public void Fixture_51_rules_are_too_many()
    {
        var rules = Enumerable.Range(1, 51)
            .Select(p => Rule(p, $$""" "tagStatus": "tagged", "tagPatternList": ["t{{p}}-*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

        RejectsRules("array is too long: must have at most 50 elements but instance has 51 elements", [.. rules]);
    }

    [Theory]
    [InlineData("""{"rules": [RULE], "foo": 1}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "foo": 1, "selection": {SEL}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL, "foo": 1}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL}, "action": {"type": "expire", "foo": 1}}]}""")]
    public void Fixture_unknown_property_foo_is_not_allowed_at_any_level(string template)
    {
        var text = template
            .Replace("RULE", Rule(1, AnyCount), StringComparison.Ordinal)
            .Replace("SEL", AnyCount, StringComparison.Ordinal);

        Rejects(text, """object instance has properties which are not allowed by the schema: (["foo"])""");
    }

    [Fact]
    public void Fixture_countUnit_null_matches_no_schema() =>
        RejectsRules(NoSchemaMatched, Rule(1, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": null, "countNumber": 1 """));

    // The rest of the schema.

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"rules\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("""{"rules": [],}""")]
    [InlineData("""{"rules": [] /* comment */}""")]
    [InlineData("""{"rules": []} trailing""")]
    public void Text_that_is_not_a_JSON_object_cannot_be_mapped(string text) =>
        Rejects(text, "Could not map policyString into LifecyclePolicy.");

    [Fact]
    public void Escapes_that_leave_a_surrogate_unpaired_cannot_be_mapped() =>
        RejectsRules("Could not map policyString into LifecyclePolicy.", Rule(1, AnyCount).Replace("\"rulePriority\": 1", "\"rulePriority\": 1, \"description\": \"\\ud800\"", StringComparison.Ordinal));

    [Fact]
    public void Missing_rules_is_reported_as_a_missing_required_property() =>
        Rejects("{}", """object has missing required properties (["rules"])""");

    [Fact]
    public void Several_unknown_properties_are_listed_sorted() =>
        Rejects($$"""{"zeta": 1, "rules": [{{Rule(1, AnyCount)}}], "alpha": 2}""", """object instance has properties which are not allowed by the schema: (["alpha","zeta"])""");

    [Fact]
    public void Missing_required_properties_are_reported_before_unknown_ones_and_sorted() =>
        Rejects("""{"rules": [{"bogus": 1, "rulePriority": 1}]}""", """object has missing required properties (["action","selection"])""");

    [Fact]
    public void Missing_selection_properties_are_listed() =>
        RejectsRules("""object has missing required properties (["countNumber","countType"])""", Rule(1, """ "tagStatus": "any" """));

    [Fact]
    public void Missing_action_type_is_listed() =>
        RejectsRules("""object has missing required properties (["type"])""", Rule(1, AnyCount, "{}"));

    [Fact]
    public void Rules_must_be_an_array() =>
        Rejects("""{"rules": {}}""", """instance type (object) does not match any allowed primitive type (allowed: ["array"])""");

    [Fact]
    public void Empty_rules_array_is_too_short() =>
        Rejects("""{"rules": []}""", "array is too short: must have at least 1 elements but instance has 0 elements");

    [Fact]
    public void Rule_must_be_an_object() =>
        Rejects("""{"rules": ["rule"]}""", """instance type (string) does not match any allowed primitive type (allowed: ["object"])""");

    [Theory]
    [InlineData("""{"rules": null}""")]
    [InlineData("""{"rules": [null]}""")]
    [InlineData("""{"rules": [{"rulePriority": null, "selection": {SEL}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "description": null, "selection": {SEL}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": null, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL, "tagPrefixList": null}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL, "storageClass": null}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPatternList": [null], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {"tagStatus": null, "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": null, "countNumber": 1}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": null}, "action": {"type": "expire"}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL}, "action": null}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL}, "action": {"type": null}}]}""")]
    [InlineData("""{"rules": [{"rulePriority": 1, "selection": {SEL}, "action": {"type": "expire", "targetStorageClass": null}}]}""")]
    public void Null_anywhere_matches_no_schema(string template) =>
        Rejects(template.Replace("SEL", AnyCount, StringComparison.Ordinal), NoSchemaMatched);

    [Fact]
    public void A_failure_inside_a_rule_names_the_rule_and_the_field_after_ECRs_message()
    {
        var result = LifecyclePolicyParser.Parse(PolicyText(
            Rule(1, UntaggedCount),
            Rule(5, """ "tagStatus": "foo", "countType": "imageCountMoreThan", "countNumber": 1 """)));

        Assert.Equal("rule 2 (rulePriority 5), field selection.tagStatus", result.Location);
        Assert.EndsWith(
            """not found in enum :(possible values: ["any","tagged","untagged"])' (in rule 2 (rulePriority 5), field selection.tagStatus)""",
            result.ErrorMessage,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_in_the_action_names_the_action_field() =>
        Assert.Equal(
            "rule 1 (rulePriority 1), field action.type",
            LifecyclePolicyParser.Parse(PolicyText(Rule(1, AnyCount, """{"type": "delete"}"""))).Location);

    [Fact]
    public void A_failure_of_the_whole_policy_names_no_rule() =>
        Assert.Null(LifecyclePolicyParser.Parse("{}").Location);

    [Fact]
    public void Unknown_tagStatus_lists_the_possible_values() =>
        RejectsRules(
            """instance value (foo) not found in enum :(possible values: ["any","tagged","untagged"])""",
            Rule(1, """ "tagStatus": "foo", "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Enum_values_are_case_sensitive() =>
        RejectsRules(
            """instance value (Tagged) not found in enum :(possible values: ["any","tagged","untagged"])""",
            Rule(1, """ "tagStatus": "Tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Unknown_storageClass_lists_the_possible_values() =>
        RejectsRules(
            """instance value (glacier) not found in enum :(possible values: ["archive","standard"])""",
            Rule(1, """ "tagStatus": "any", "storageClass": "glacier", "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Unknown_countUnit_lists_the_possible_values() =>
        RejectsRules(
            """instance value (hours) not found in enum :(possible values: ["days"])""",
            Rule(1, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "hours", "countNumber": 1 """));

    [Fact]
    public void Unknown_action_type_lists_the_possible_values() =>
        RejectsRules(
            """instance value (delete) not found in enum :(possible values: ["expire","transition"])""",
            Rule(1, AnyCount, """{"type": "delete"}"""));

    [Fact]
    public void TargetStorageClass_other_than_archive_lists_the_possible_values() =>
        RejectsRules(
            """instance value (standard) not found in enum :(possible values: ["archive"])""",
            Rule(1, AnyCount, """{"type": "transition", "targetStorageClass": "standard"}"""));

    [Fact]
    public void Unknown_countType_matches_no_schema() =>
        RejectsRules(NoSchemaMatched, Rule(1, """ "tagStatus": "any", "countType": "sinceImageCreated", "countUnit": "days", "countNumber": 1 """));

    [Theory]
    [InlineData("sinceImagePushed")]
    [InlineData("sinceImagePulled")]
    [InlineData("sinceImageTransitioned")]
    public void Age_count_type_without_countUnit_matches_no_schema(string countType) =>
        RejectsRules(NoSchemaMatched, Rule(1, $$""" "tagStatus": "any", "countType": "{{countType}}", "countNumber": 100 """));

    [Theory]
    [InlineData("\"1\"", "string")]
    [InlineData("1.5", "number")]
    [InlineData("1.0", "number")]
    [InlineData("1e2", "number")]
    [InlineData("true", "boolean")]
    [InlineData("[1]", "array")]
    public void RulePriority_must_be_an_integer(string value, string found) =>
        Rejects(
            PolicyText(Rule(1, AnyCount)).Replace("\"rulePriority\": 1", $"\"rulePriority\": {value}", StringComparison.Ordinal),
            $$"""instance type ({{found}}) does not match any allowed primitive type (allowed: ["integer"])""");

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-3", "-3")]
    [InlineData("-99999999999999999999", "-99999999999999999999")]
    public void RulePriority_below_1_is_rejected(string value, string found) =>
        RejectsRules(
            $"numeric instance is lower than the required minimum (minimum: 1, found: {found})",
            Rule(1, AnyCount).Replace("\"rulePriority\": 1", $"\"rulePriority\": {value}", StringComparison.Ordinal));

    [Theory]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    public void CountNumber_beyond_a_32_bit_integer_is_rejected(string value) =>
        RejectsRules(
            $"numeric instance is greater than the required maximum (maximum: 2147483647, found: {value})",
            Rule(1, $$""" "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": {{value}} """));

    [Fact]
    public void Description_must_be_a_string() =>
        RejectsRules(
            """instance type (integer) does not match any allowed primitive type (allowed: ["string"])""",
            Rule(1, AnyCount).Replace("\"rulePriority\": 1", "\"rulePriority\": 1, \"description\": 7", StringComparison.Ordinal));

    [Fact]
    public void Tag_lists_must_be_arrays_of_strings()
    {
        RejectsRules(
            """instance type (string) does not match any allowed primitive type (allowed: ["array"])""",
            Rule(1, """ "tagStatus": "tagged", "tagPatternList": "v*", "countType": "imageCountMoreThan", "countNumber": 1 """));
        RejectsRules(
            """instance type (integer) does not match any allowed primitive type (allowed: ["string"])""",
            Rule(1, """ "tagStatus": "tagged", "tagPrefixList": ["v", 1], "countType": "imageCountMoreThan", "countNumber": 1 """));
    }

    [Theory]
    [InlineData("tagged")]
    [InlineData("untagged")]
    [InlineData("any")]
    public void Empty_tag_list_is_too_short_whatever_the_tag_status(string tagStatus) =>
        RejectsRules(
            "array is too short: must have at least 1 elements but instance has 0 elements",
            Rule(1, $$""" "tagStatus": "{{tagStatus}}", "tagPatternList": [], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Any_rule_with_a_pattern_list_is_rejected() =>
        RejectsRules(
            "rule 1: tagPatternList and tagPrefixList are allowed only when tagStatus is tagged",
            Rule(1, """ "tagStatus": "any", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Theory]
    [InlineData("imageCountMoreThan", "")]
    [InlineData("sinceImagePushed", """ "countUnit": "days", """)]
    [InlineData("sinceImagePulled", """ "countUnit": "days", """)]
    public void Archive_storage_class_requires_sinceImageTransitioned(string countType, string unit) =>
        RejectsRules(
            "rule 1: storageClass archive can be used only with countType sinceImageTransitioned",
            Rule(1, $$""" "tagStatus": "any", "storageClass": "archive", "countType": "{{countType}}", {{unit}} "countNumber": 100 """));

    [Fact]
    public void TargetStorageClass_with_expire_is_rejected() =>
        RejectsRules(
            "rule 1: targetStorageClass is allowed only when the action type is transition",
            Rule(1, AnyCount, """{"type": "expire", "targetStorageClass": "archive"}"""));

    [Fact]
    public void SinceImageTransitioned_with_transition_is_rejected() =>
        RejectsRules(
            "rule 1: countType sinceImageTransitioned can be used only with action type expire",
            Rule(1, """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 """, Transition));

    [Fact]
    public void SinceImageTransitioned_below_the_90_day_archive_minimum_is_rejected() =>
        RejectsRules(
            "rule 1: countNumber for sinceImageTransitioned must be at least 90, the minimum number of days an image stays archived (found: 89)",
            Rule(1, """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 89 """));

    [Fact]
    public void Two_any_rules_in_one_storage_class_are_rejected() =>
        RejectsRules(
            "rule 1 has tagStatus any, so it must have the highest rulePriority among the standard rules, but rule 2 comes after it",
            Rule(1, AnyCount),
            Rule(2, """ "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """));

    [Fact]
    public void Any_rule_ordering_is_judged_by_priority_not_by_position_in_the_document() =>
        RejectsRules(
            "rule 5 has tagStatus any, so it must have the highest rulePriority among the standard rules, but rule 7 comes after it",
            Rule(7, UntaggedCount),
            Rule(5, AnyCount));

    [Fact]
    public void Any_archive_rule_before_an_untagged_archive_rule_is_rejected() =>
        RejectsRules(
            "rule 2 has tagStatus any, so it must have the highest rulePriority among the archive rules, but rule 3 comes after it",
            Rule(1, AnyCount),
            Rule(2, """ "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 """),
            Rule(3, """ "tagStatus": "untagged", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """));

    [Fact]
    public void Two_untagged_archive_rules_are_rejected() =>
        RejectsRules(
            "rules 1 and 2 both select untagged archive images; a storage class may have only one untagged rule",
            Rule(1, """ "tagStatus": "untagged", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90 """),
            Rule(2, """ "tagStatus": "untagged", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 """));

    [Theory]
    [InlineData("""["prod*", "v*"]""", """["prod*", "v*"]""")]
    [InlineData("""["prod*", "v*"]""", """["v*", "prod*"]""")]
    [InlineData("""["prod*"]""", """["prod*", "prod*"]""")]
    public void Same_pattern_list_twice_in_one_storage_class_is_rejected(string first, string second) =>
        RejectsRules(
            "rules 1 and 2 use the same tagPatternList for standard images; each list must be unique within a storage class",
            Rule(1, $$""" "tagStatus": "tagged", "tagPatternList": {{first}}, "countType": "imageCountMoreThan", "countNumber": 5 """),
            Rule(2, $$""" "tagStatus": "tagged", "tagPatternList": {{second}}, "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """));

    [Fact]
    public void Same_prefix_list_twice_in_one_storage_class_is_rejected() =>
        RejectsRules(
            "rules 2 and 3 use the same tagPrefixList for standard images; each list must be unique within a storage class",
            Rule(2, """ "tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 5 """),
            Rule(3, """ "tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30 """));

    [Fact]
    public void First_failing_rule_in_document_order_is_reported() =>
        RejectsRules(
            "rule 9: tagStatus tagged requires exactly one of tagPatternList or tagPrefixList",
            Rule(9, """ "tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 1 """),
            Rule(1, """ "tagStatus": "untagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1 """));

    [Fact]
    public void Failure_message_wraps_the_detail_the_way_ECR_does()
    {
        var result = LifecyclePolicyParser.Parse("{}");

        Assert.Equal(
            """Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: object has missing required properties (["rules"])'""",
            result.ErrorMessage);
        Assert.Equal(result.ErrorMessage, LifecyclePolicyParser.FormatFailureMessage(result.Error!));
    }
}
