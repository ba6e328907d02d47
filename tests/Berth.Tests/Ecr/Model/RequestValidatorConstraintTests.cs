using Berth.Ecr.Model;
using static Berth.Tests.Ecr.Model.ValidatorAssert;

namespace Berth.Tests.Ecr.Model;

public sealed class RequestValidatorConstraintTests
{
    private const string RepositoryNamePattern =
        @"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*";

    [Fact]
    public void Complete_CreateRepository_request_is_valid() =>
        Valid("CreateRepository", """
            {
              "registryId": "123456789012",
              "repositoryName": "project-a/nginx-web-app",
              "tags": [{"Key": "team", "Value": "web"}, {"Key": "empty", "Value": ""}],
              "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
              "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "latest*"}],
              "imageScanningConfiguration": {"scanOnPush": true},
              "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/abc"}
            }
            """);

    [Fact]
    public void Missing_required_repositoryName_must_not_be_null() =>
        Violates("CreateRepository", "{}", "repositoryName", "Member must not be null");

    [Fact]
    public void Null_required_member_counts_as_missing() =>
        Violates("CreateRepository", """{"repositoryName": null}""", "repositoryName", "Member must not be null");

    [Fact]
    public void Null_optional_member_counts_as_absent() =>
        Valid("CreateRepository", """{"repositoryName": "ab", "tags": null, "imageScanningConfiguration": null}""");

    [Fact]
    public void Unknown_members_are_ignored_and_names_are_case_sensitive() =>
        Valid("CreateRepository", """{"repositoryName": "ab", "bogus": {"x": [1, true]}, "RepositoryName": 5, "Tags": "x"}""");

    [Fact]
    public void Repository_name_shorter_than_2_characters_is_rejected() =>
        Violates("CreateRepository", """{"repositoryName": "a"}""", "repositoryName", "must have length greater than or equal to 2");

    [Fact]
    public void Repository_name_longer_than_256_characters_is_rejected() =>
        Violates(
            "CreateRepository",
            $$"""{"repositoryName": "{{new string('a', 257)}}"}""",
            "repositoryName",
            "must have length less than or equal to 256");

    [Fact]
    public void Uppercase_repository_name_quotes_the_model_pattern() =>
        Fails(
            "CreateRepository",
            """{"repositoryName": "MyRepo"}""",
            "InvalidParameterException",
            @"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*''");

    [Theory]
    [InlineData("ab")]
    [InlineData("nginx-web-app")]
    [InlineData("project-a/nginx-web-app")]
    [InlineData("a__b")]
    [InlineData("a--b")]
    [InlineData("v1.2/x_y")]
    [InlineData("0day")]
    public void Repository_names_allowed_by_the_model_pattern_pass(string name) =>
        Valid("DeleteRepository", $$"""{"repositoryName": "{{name}}"}""");

    [Theory]
    [InlineData("a/")]
    [InlineData("/a")]
    [InlineData("a..b")]
    [InlineData("_a")]
    [InlineData("a___b")]
    [InlineData("ab ")]
    [InlineData(@"ab\n")]
    public void Pattern_must_cover_the_whole_repository_name(string name) =>
        Violates("DeleteRepository", $$"""{"repositoryName": "{{name}}"}""", "repositoryName", $"must satisfy regular expression '{RepositoryNamePattern}'");

    [Fact]
    public void Unknown_enum_value_lists_the_values_in_model_order() =>
        Violates(
            "CreateRepository",
            """{"repositoryName": "ab", "imageTagMutability": "mutable"}""",
            "imageTagMutability",
            "Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]");

    [Theory]
    [InlineData(0, "Member must have value greater than or equal to 1")]
    [InlineData(-5, "Member must have value greater than or equal to 1")]
    [InlineData(1001, "Member must have value less than or equal to 1000")]
    public void MaxResults_outside_1_to_1000_is_rejected(int maxResults, string constraint) =>
        Violates("DescribeRepositories", $$"""{"maxResults": {{maxResults}}}""", "maxResults", constraint);

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void MaxResults_at_the_bounds_is_valid(int maxResults) =>
        Valid("DescribeRepositories", $$"""{"maxResults": {{maxResults}}}""");

    [Fact]
    public void ListImageReferrers_maxResults_stops_at_50() =>
        Violates(
            "ListImageReferrers",
            """{"repositoryName": "ab", "subjectId": {"imageDigest": "sha256:00"}, "maxResults": 51}""",
            "maxResults",
            "Member must have value less than or equal to 50");

    [Fact]
    public void Long_minimum_is_enforced() =>
        Violates(
            "UploadLayerPart",
            """{"repositoryName": "ab", "uploadId": "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", "partFirstByte": -1, "partLastByte": 0, "layerPartBlob": ""}""",
            "partFirstByte",
            "Member must have value greater than or equal to 0");

    [Fact]
    public void Missing_key_in_a_tag_reports_the_indexed_member_path() =>
        Violates(
            "CreateRepository",
            """{"repositoryName": "ab", "tags": [{"Key": "a", "Value": "b"}, {"Value": "x"}]}""",
            "tags.2.member.Key",
            "Member must not be null");

    [Fact]
    public void Exclusion_filter_pattern_is_checked_inside_the_list() =>
        Violates(
            "PutImageTagMutability",
            """{"repositoryName": "ab", "imageTagMutability": "MUTABLE_WITH_EXCLUSION", "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "bad tag!"}]}""",
            "imageTagMutabilityExclusionFilters.1.member.filter",
            "Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$");

    [Fact]
    public void Members_of_a_list_element_are_checked_in_model_order() =>
        // The model declares filterType before filter; the JSON order does not matter.
        Violates(
            "PutImageTagMutability",
            """{"repositoryName": "ab", "imageTagMutability": "MUTABLE", "imageTagMutabilityExclusionFilters": [{"filter": "!", "filterType": "GLOB"}]}""",
            "imageTagMutabilityExclusionFilters.1.member.filterType",
            "Member must satisfy enum value set: [WILDCARD]");

    [Fact]
    public void Exclusion_filter_type_must_be_in_its_enum() =>
        Violates(
            "PutImageTagMutability",
            """{"repositoryName": "ab", "imageTagMutability": "MUTABLE", "imageTagMutabilityExclusionFilters": [{"filterType": "GLOB", "filter": "x"}]}""",
            "imageTagMutabilityExclusionFilters.1.member.filterType",
            "Member must satisfy enum value set: [WILDCARD]");

    [Fact]
    public void Empty_exclusion_filter_list_is_below_its_minimum() =>
        Violates(
            "PutImageTagMutability",
            """{"repositoryName": "ab", "imageTagMutability": "MUTABLE", "imageTagMutabilityExclusionFilters": []}""",
            "imageTagMutabilityExclusionFilters",
            "Member must have length greater than or equal to 1");

    [Fact]
    public void List_of_101_repository_names_exceeds_the_maximum() =>
        Violates("DescribeRepositories", RepositoryNames(101), "repositoryNames", "Member must have length less than or equal to 100");

    [Fact]
    public void List_of_100_repository_names_is_valid() =>
        Valid("DescribeRepositories", RepositoryNames(100));

    [Fact]
    public void Invalid_scalar_list_element_is_reported_on_the_list_with_all_its_constraints() =>
        Fails(
            "DescribeRepositories",
            """{"repositoryNames": ["ab", "cd", "E"]}""",
            "InvalidParameterException",
            "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must satisfy constraint: ["
            + "Member must have length less than or equal to 256, Member must have length greater than or equal to 2, "
            + $"Member must satisfy regular expression pattern: {RepositoryNamePattern}]'");

    [Fact]
    public void Registry_id_list_element_reads_as_aws_answers_it() =>
        Fails(
            "GetAuthorizationToken",
            """{"registryIds": ["123456789012", "12345"]}""",
            "InvalidParameterException",
            "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]{12}]'");

    [Fact]
    public void Null_list_element_must_not_be_null() =>
        Violates("DescribeRepositories", """{"repositoryNames": ["ab", null]}""", "repositoryNames.2.member", "Member must not be null");

    [Fact]
    public void Nested_structure_member_uses_a_dotted_path() =>
        Violates(
            "ListImageReferrers",
            """{"repositoryName": "ab", "subjectId": {}}""",
            "subjectId.imageDigest",
            "Member must not be null");

    [Fact]
    public void First_failure_in_model_order_is_reported()
    {
        // registryId precedes repositoryName in the model, which precedes imageTagMutability.
        Violates(
            "CreateRepository",
            """{"imageTagMutability": "x", "repositoryName": "A", "registryId": "12"}""",
            "registryId",
            "Member must satisfy regular expression pattern: [0-9]{12}");
        Violates(
            "CreateRepository",
            """{"imageTagMutability": "x", "repositoryName": "AB"}""",
            "repositoryName",
            $"must satisfy regular expression '{RepositoryNamePattern}'");
    }

    [Fact]
    public void Length_is_checked_before_the_pattern() =>
        Violates("CreateRepository", """{"repositoryName": "A"}""", "repositoryName", "must have length greater than or equal to 2");

    [Theory]
    [InlineData("123456789012", true)]
    [InlineData("1234567890123", false)]
    [InlineData("12345678901", false)]
    [InlineData("12345678901a", false)]
    public void RegistryId_pattern_is_anchored(string registryId, bool valid)
    {
        var json = $$"""{"registryId": "{{registryId}}"}""";
        if (valid)
        {
            Valid("DescribeRepositories", json);
        }
        else
        {
            Violates("DescribeRepositories", json, "registryId", "Member must satisfy regular expression pattern: [0-9]{12}");
        }
    }

    [Fact]
    public void Word_class_in_a_pattern_is_ASCII_only_as_in_Java()
    {
        const string Pattern = @"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\w+=,.@-]+(/[\w+=,.@-]+)*$";
        Valid("RegisterPullTimeUpdateExclusion", """{"principalArn": "arn:aws:iam::123456789012:role/Admin_1"}""");
        Violates(
            "RegisterPullTimeUpdateExclusion",
            """{"principalArn": "arn:aws:iam::123456789012:role/Adminé"}""",
            "principalArn",
            $"Member must satisfy regular expression pattern: {Pattern}");
    }

    [Fact]
    public void String_length_counts_code_points_not_UTF16_units()
    {
        var emoji300 = string.Concat(Enumerable.Repeat("\U0001F600", 300));
        Valid("BatchGetImage", $$"""{"repositoryName": "ab", "imageIds": [{"imageTag": "{{emoji300}}"}]}""");
        Violates(
            "BatchGetImage",
            $$"""{"repositoryName": "ab", "imageIds": [{"imageTag": "{{emoji300}}x"}]}""",
            "imageIds.1.member.imageTag",
            "Member must have length less than or equal to 300");
    }

    [Fact]
    public void Escaped_strings_are_measured_after_unescaping()
    {
        var escaped300 = string.Concat(Enumerable.Repeat(@"\ud83d\ude00", 300));
        Valid("BatchGetImage", $$"""{"repositoryName": "a\u0062", "imageIds": [{"imageTag": "{{escaped300}}"}]}""");
        Violates(
            "BatchGetImage",
            $$"""{"repositoryName": "ab", "imageIds": [{"imageTag": "{{escaped300}}\u0041"}]}""",
            "imageIds.1.member.imageTag",
            "Member must have length less than or equal to 300");
    }

    [Fact]
    public void Escaped_enum_value_matches() =>
        Valid("CreateRepository", """{"repositoryName": "ab", "imageTagMutability": "MUT\u0041BLE"}""");

    [Fact]
    public void Operation_declaring_only_ValidationException_reports_it()
    {
        Assert.True(EcrModel.Shared.TryGetOperation("DeleteSigningConfiguration", out var operation));
        Assert.Equal("ValidationException", operation.ValidationErrorType);
        Assert.Null(Validate("DeleteSigningConfiguration", "{}"));
        Assert.Null(Validate("DeleteSigningConfiguration", """{"anything": 1}"""));

        // DeleteSigningConfiguration has no members to violate, so check the wording on a stand-in
        // with the same error list and a constrained input.
        var standIn = operation with { Name = "StandIn", InputShape = "CreateRepositoryRequest" };
        var failure = Validate(RequestValidator.Shared, standIn, """{"repositoryName": "a"}""");
        Assert.Equal(
            new ValidationFailure(
                "ValidationException",
                "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'"),
            failure);
    }

    private static string RepositoryNames(int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            names.Add($"\"repo{i}\"");
        }

        return $$"""{"repositoryNames": [{{string.Join(", ", names)}}]}""";
    }
}
