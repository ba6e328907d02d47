using Berth.Ecr.Model;

namespace Berth.Tests.Ecr.Model;

public sealed class EcrModelTests
{
    // The operation list of docs/reference/ecr-operations.md (botocore 1.43.11).
    private static readonly string[] DocumentedOperations =
    [
        "BatchCheckLayerAvailability", "BatchDeleteImage", "BatchGetImage", "BatchGetRepositoryScanningConfiguration",
        "CompleteLayerUpload", "CreatePullThroughCacheRule", "CreateRepository", "CreateRepositoryCreationTemplate",
        "DeleteLifecyclePolicy", "DeletePullThroughCacheRule", "DeleteRegistryPolicy", "DeleteRepository",
        "DeleteRepositoryCreationTemplate", "DeleteRepositoryPolicy", "DeleteSigningConfiguration",
        "DeregisterPullTimeUpdateExclusion", "DescribeImageReplicationStatus", "DescribeImageScanFindings",
        "DescribeImageSigningStatus", "DescribeImages", "DescribePullThroughCacheRules", "DescribeRegistry",
        "DescribeRepositories", "DescribeRepositoryCreationTemplates", "GetAccountSetting", "GetAuthorizationToken",
        "GetDownloadUrlForLayer", "GetLifecyclePolicy", "GetLifecyclePolicyPreview", "GetRegistryPolicy",
        "GetRegistryScanningConfiguration", "GetRepositoryPolicy", "GetSigningConfiguration", "InitiateLayerUpload",
        "ListImageReferrers", "ListImages", "ListPullTimeUpdateExclusions", "ListTagsForResource", "PutAccountSetting",
        "PutImage", "PutImageScanningConfiguration", "PutImageTagMutability", "PutLifecyclePolicy", "PutRegistryPolicy",
        "PutRegistryScanningConfiguration", "PutReplicationConfiguration", "PutSigningConfiguration",
        "RegisterPullTimeUpdateExclusion", "SetRepositoryPolicy", "StartImageScan", "StartLifecyclePolicyPreview",
        "TagResource", "UntagResource", "UpdateImageStorageClass", "UpdatePullThroughCacheRule",
        "UpdateRepositoryCreationTemplate", "UploadLayerPart", "ValidatePullThroughCacheRule",
    ];

    private static EcrModel Model => EcrModel.Shared;

    [Fact]
    public void Table_has_exactly_the_58_documented_operations()
    {
        Assert.Equal(58, DocumentedOperations.Length);
        Assert.Equal(58, Model.Operations.Count);
        var names = new List<string>();
        foreach (var operation in Model.Operations)
        {
            names.Add(operation.Name);
        }

        Assert.Equal(DocumentedOperations.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_documented_operation_is_found_by_name()
    {
        foreach (var name in DocumentedOperations)
        {
            Assert.True(Model.TryGetOperation(name, out var operation), name);
            Assert.Equal(name, operation.Name);
        }
    }

    [Fact]
    public void Operation_is_found_from_a_slice_of_the_target_header()
    {
        var target = $"{Model.TargetPrefix}.DescribeRepositories".AsSpan();
        var name = target[(target.IndexOf('.') + 1)..];

        Assert.True(Model.TryGetOperation(name, out var operation));
        Assert.Equal("DescribeRepositoriesRequest", operation.InputShape);
        Assert.Equal("DescribeRepositoriesResponse", operation.OutputShape);
    }

    [Theory]
    [InlineData("describeRepositories")]
    [InlineData("DescribeRepositories ")]
    [InlineData("")]
    [InlineData("Nope")]
    public void Operation_lookup_is_exact_and_case_sensitive(string name) =>
        Assert.False(Model.TryGetOperation(name, out _));

    [Fact]
    public void Metadata_names_the_botocore_version_and_the_protocol_constants()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", Model.BotocoreVersion);
        Assert.Equal("1.43.11", Model.BotocoreVersion);
        Assert.Equal("2015-09-21", Model.ApiVersion);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921", Model.TargetPrefix);
        Assert.True(Model.Shapes.Count > 0);
    }

    [Fact]
    public void Every_operation_refers_to_shapes_in_the_table_and_declares_ServerException()
    {
        foreach (var operation in Model.Operations)
        {
            Assert.NotNull(operation.InputShape);
            Assert.Equal(EcrShapeType.Structure, Model.GetShape(operation.InputShape).Type);
            Assert.Equal(EcrShapeType.Structure, Model.GetShape(operation.OutputShape).Type);
            Assert.Contains("ServerException", operation.ErrorShapes);
            foreach (var error in operation.ErrorShapes)
            {
                Assert.True(Model.GetShape(error).IsException, $"{operation.Name}: {error}");
            }
        }
    }

    [Fact]
    public void RepositoryName_is_2_to_256_characters_with_the_model_pattern()
    {
        var shape = Model.GetShape("RepositoryName");

        Assert.Equal(EcrShapeType.String, shape.Type);
        Assert.Equal(2, shape.Min);
        Assert.Equal(256, shape.Max);
        Assert.Equal(@"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*", shape.Pattern);
    }

    [Theory]
    [InlineData("DescribeRepositories", 1, 1000)]
    [InlineData("DescribeImages", 1, 1000)]
    [InlineData("ListImages", 1, 1000)]
    [InlineData("ListImageReferrers", 1, 50)]
    [InlineData("GetLifecyclePolicyPreview", 1, 100)]
    public void MaxResults_ranges_follow_the_model(string operationName, long min, long max)
    {
        Assert.True(Model.TryGetOperation(operationName, out var operation));
        var input = Model.GetShape(operation.InputShape!);
        var maxResults = Assert.Single(input.Members, m => m.Name == "maxResults");
        var shape = Model.GetShape(maxResults.Shape);

        Assert.Equal(EcrShapeType.Integer, shape.Type);
        Assert.Equal(min, shape.Min);
        Assert.Equal(max, shape.Max);
    }

    [Fact]
    public void Structure_members_keep_model_order_and_required_flags()
    {
        var shape = Model.GetShape("CreateRepositoryRequest");

        Assert.Equal(
            [
                new EcrMember("registryId", "RegistryId", false),
                new EcrMember("repositoryName", "RepositoryName", true),
                new EcrMember("tags", "TagList", false),
                new EcrMember("imageTagMutability", "ImageTagMutability", false),
                new EcrMember("imageTagMutabilityExclusionFilters", "ImageTagMutabilityExclusionFilters", false),
                new EcrMember("imageScanningConfiguration", "ImageScanningConfiguration", false),
                new EcrMember("encryptionConfiguration", "EncryptionConfiguration", false),
            ],
            shape.Members);
    }

    [Fact]
    public void Enums_keep_model_order()
    {
        Assert.Equal(
            ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"],
            Model.GetShape("ImageTagMutability").EnumValues);
        Assert.Equal(["AES256", "KMS", "KMS_DSSE"], Model.GetShape("EncryptionType").EnumValues);
    }

    [Fact]
    public void Lists_maps_and_blobs_carry_their_element_shapes_and_bounds()
    {
        var names = Model.GetShape("RepositoryNameList");
        Assert.Equal(EcrShapeType.List, names.Type);
        Assert.Equal("RepositoryName", names.ListMember);
        Assert.Equal(1, names.Min);
        Assert.Equal(100, names.Max);

        var tags = Model.GetShape("Tags");
        Assert.Equal(EcrShapeType.Map, tags.Type);
        Assert.Equal("TagKey", tags.MapKey);
        Assert.Equal("TagValue", tags.MapValue);

        var blob = Model.GetShape("LayerPartBlob");
        Assert.Equal(EcrShapeType.Blob, blob.Type);
        Assert.Equal(0, blob.Min);
        Assert.Equal(20_971_520, blob.Max);
    }

    [Fact]
    public void Error_shapes_keep_their_extra_members()
    {
        var layerPart = Model.GetShape("InvalidLayerPartException");
        Assert.True(layerPart.IsException);
        Assert.False(layerPart.IsFault);
        Assert.Equal(
            ["registryId", "repositoryName", "uploadId", "lastValidByteReceived", "message"],
            layerPart.Members.Select(m => m.Name));

        Assert.Contains(Model.GetShape("KmsException").Members, m => m.Name == "kmsError");

        var server = Model.GetShape("ServerException");
        Assert.True(server.IsException);
        Assert.True(server.IsFault);
    }

    [Fact]
    public void Only_DeleteSigningConfiguration_declares_ValidationException_without_InvalidParameterException()
    {
        var validationOnly = Model.Operations
            .Where(o => o.ErrorShapes.Contains("ValidationException") && !o.ErrorShapes.Contains("InvalidParameterException"))
            .Select(o => o.Name);

        Assert.Equal(["DeleteSigningConfiguration"], validationOnly);
    }

    [Theory]
    [InlineData("DeleteSigningConfiguration", "ValidationException")]
    [InlineData("CreateRepository", "InvalidParameterException")]
    [InlineData("CreateRepositoryCreationTemplate", "InvalidParameterException")]
    [InlineData("PutSigningConfiguration", "InvalidParameterException")]
    public void ValidationErrorType_prefers_InvalidParameterException(string operationName, string expected)
    {
        Assert.True(Model.TryGetOperation(operationName, out var operation));
        Assert.Equal(expected, operation.ValidationErrorType);
    }

    [Fact]
    public void ValidationErrorType_defaults_to_InvalidParameterException_when_neither_is_declared()
    {
        var operation = new EcrOperation("X", null, "Out", new HashSet<string> { "ServerException" });

        Assert.Equal("InvalidParameterException", operation.ValidationErrorType);
    }

    [Fact]
    public void Shared_model_is_loaded_once()
    {
        Assert.Same(EcrModel.Shared, EcrModel.Shared);
        Assert.Same(RequestValidator.Shared, RequestValidator.Shared);
    }

    [Theory]
    [InlineData("""{"operations": [], "shapes": {}}""")]
    [InlineData("""{"metadata": {"botocoreVersion": "1", "apiVersion": "a", "targetPrefix": "p"}, "operations": [{"name": "Op", "input": "Missing", "output": "Missing", "errors": []}], "shapes": {}}""")]
    [InlineData("""{"metadata": {"botocoreVersion": "1", "apiVersion": "a", "targetPrefix": "p"}, "operations": [], "shapes": {"S": {"type": "union"}}}""")]
    [InlineData("not json")]
    public void Malformed_table_is_rejected_with_InvalidDataException(string table) =>
        Assert.Throws<InvalidDataException>(() => EcrModel.Parse(System.Text.Encoding.UTF8.GetBytes(table)));
}
