using static Berth.Tests.Ecr.Model.ValidatorAssert;

namespace Berth.Tests.Ecr.Model;

public sealed class RequestValidatorSerializationTests
{
    private const string Upload =
        "\"repositoryName\": \"ab\", \"uploadId\": \"0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f\", \"partFirstByte\": 0, \"partLastByte\": 4";

    [Theory]
    [InlineData("[]", "START_ARRAY")]
    [InlineData("\"{}\"", "STRING_VALUE")]
    [InlineData("42", "NUMBER_VALUE")]
    [InlineData("true", "BOOLEAN_VALUE")]
    [InlineData("null", "NULL_VALUE")]
    public void Body_that_is_not_an_object_is_a_SerializationException(string body, string token) =>
        Unreadable("DescribeRepositories", body, $"Invalid value in payload: {token} can not be converted to a Structure");

    [Fact]
    public void Body_must_be_an_object_even_for_an_operation_without_members() =>
        Unreadable("DeleteSigningConfiguration", "[]", "Invalid value in payload: START_ARRAY can not be converted to a Structure");

    [Theory]
    [InlineData("\"10\"", "STRING_VALUE")]
    [InlineData("1.5", "NUMBER_VALUE")]
    [InlineData("1e2", "NUMBER_VALUE")]
    [InlineData("3000000000", "NUMBER_VALUE")]
    [InlineData("true", "BOOLEAN_VALUE")]
    [InlineData("[1]", "START_ARRAY")]
    [InlineData("{}", "START_OBJECT")]
    public void MaxResults_that_is_not_an_integer_is_a_SerializationException(string value, string token) =>
        Unreadable(
            "DescribeRepositories",
            $$"""{"maxResults": {{value}}}""",
            $"Invalid value at 'maxResults': {token} can not be converted to an Integer");

    [Theory]
    [InlineData("5", "NUMBER_VALUE")]
    [InlineData("true", "BOOLEAN_VALUE")]
    [InlineData("[\"ab\"]", "START_ARRAY")]
    [InlineData("{\"name\": \"ab\"}", "START_OBJECT")]
    public void RepositoryName_that_is_not_a_string_is_a_SerializationException(string value, string token) =>
        Unreadable(
            "CreateRepository",
            $$"""{"repositoryName": {{value}}}""",
            $"Invalid value at 'repositoryName': {token} can not be converted to a String");

    [Fact]
    public void Array_in_place_of_a_tag_object_is_a_SerializationException() =>
        Unreadable(
            "CreateRepository",
            """{"repositoryName": "ab", "tags": [{"Key": "a", "Value": "b"}, ["Key", "Value"]]}""",
            "Invalid value at 'tags.2.member': START_ARRAY can not be converted to a Structure");

    [Fact]
    public void Object_in_place_of_a_list_is_a_SerializationException() =>
        Unreadable(
            "CreateRepository",
            """{"repositoryName": "ab", "tags": {"Key": "a", "Value": "b"}}""",
            "Invalid value at 'tags': START_OBJECT can not be converted to a List");

    [Fact]
    public void Number_as_a_tag_value_is_a_SerializationException() =>
        Unreadable(
            "TagResource",
            """{"resourceArn": "arn:aws:ecr:us-east-1:123456789012:repository/ab", "tags": [{"Key": "a", "Value": 1}]}""",
            "Invalid value at 'tags.1.member.Value': NUMBER_VALUE can not be converted to a String");

    [Fact]
    public void String_in_place_of_a_structure_is_a_SerializationException() =>
        Unreadable(
            "CreateRepository",
            """{"repositoryName": "ab", "imageScanningConfiguration": "scanOnPush"}""",
            "Invalid value at 'imageScanningConfiguration': STRING_VALUE can not be converted to a Structure");

    [Theory]
    [InlineData("\"true\"", "STRING_VALUE")]
    [InlineData("1", "NUMBER_VALUE")]
    public void ScanOnPush_that_is_not_a_boolean_is_a_SerializationException(string value, string token) =>
        Unreadable(
            "PutImageScanningConfiguration",
            $$$"""{"repositoryName": "ab", "imageScanningConfiguration": {"scanOnPush": {{{value}}}}}""",
            $"Invalid value at 'imageScanningConfiguration.scanOnPush': {token} can not be converted to a Boolean");

    [Fact]
    public void Boolean_in_place_of_an_enum_string_is_a_SerializationException() =>
        Unreadable(
            "CreateRepository",
            """{"repositoryName": "ab", "imageTagMutability": false}""",
            "Invalid value at 'imageTagMutability': BOOLEAN_VALUE can not be converted to a String");

    [Fact]
    public void Long_given_as_a_string_is_a_SerializationException() =>
        Unreadable(
            "UploadLayerPart",
            """{"repositoryName": "ab", "uploadId": "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", "partFirstByte": "0", "partLastByte": 4, "layerPartBlob": ""}""",
            "Invalid value at 'partFirstByte': STRING_VALUE can not be converted to a Long");

    [Theory]
    [InlineData("aGVsbG8=")]
    [InlineData("")]
    [InlineData(@"aGVs\u0062G8=")]
    [InlineData(@"aGVs\/G8=")]
    public void Base64_layer_part_is_valid(string blob) =>
        Valid("UploadLayerPart", "{" + Upload + $$""", "layerPartBlob": "{{blob}}"}""");

    [Theory]
    [InlineData("not base64!")]
    [InlineData("aGVsbG8")]
    [InlineData("aGVsbG8==")]
    [InlineData(@"aGVs\u0021G8=")]
    public void Layer_part_that_is_not_base64_is_a_SerializationException(string blob) =>
        Unreadable(
            "UploadLayerPart",
            "{" + Upload + $$""", "layerPartBlob": "{{blob}}"}""",
            "Invalid value at 'layerPartBlob': string is not valid base64");

    [Fact]
    public void Layer_part_that_is_not_a_string_is_a_SerializationException() =>
        Unreadable(
            "UploadLayerPart",
            "{" + Upload + """, "layerPartBlob": [104, 105]}""",
            "Invalid value at 'layerPartBlob': START_ARRAY can not be converted to a Blob");

    [Fact]
    public void Missing_layer_part_must_not_be_null() =>
        Violates("UploadLayerPart", "{" + Upload + "}", "layerPartBlob", "Member must not be null");

    [Theory]
    [InlineData(@"ab\ud800")]
    [InlineData(@"\udc00ab")]
    [InlineData(@"ab\ud800\ud800\udc00")]
    [InlineData(@"ab\ud800x")]
    public void String_with_an_unpaired_surrogate_escape_is_a_SerializationException(string value) =>
        Unreadable(
            "ListTagsForResource",
            $$"""{"resourceArn": "{{value}}"}""",
            "Invalid value at 'resourceArn': string is not valid UTF-16");

    [Fact]
    public void Member_name_with_an_unpaired_surrogate_escape_is_a_SerializationException() =>
        Unreadable(
            "CreateRepository",
            """{"\ud800": 1, "repositoryName": "ab"}""",
            "Invalid value in payload: a member name is not valid UTF-16");

    [Fact]
    public void Escaped_surrogate_pair_is_accepted() =>
        Valid("ListTagsForResource", """{"resourceArn": "arn\ud83d\ude00\\u0041"}""");
}
