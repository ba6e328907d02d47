using System.Text.Json;
using Berth.Ecr.Model;

namespace Berth.Tests.Ecr.Model;

public sealed class RequestValidatorAllocationTests
{
    [Theory]
    [InlineData("CreateRepository", """
        {
          "registryId": "123456789012",
          "repositoryName": "project-a/nginx-web-app",
          "tags": [{"Key": "team", "Value": "web"}],
          "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
          "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "latest*"}],
          "imageScanningConfiguration": {"scanOnPush": true},
          "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/abc"}
        }
        """)]
    [InlineData("UploadLayerPart", """
        {"repositoryName": "ab", "uploadId": "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", "partFirstByte": 0, "partLastByte": 4, "layerPartBlob": "aGVsbG8="}
        """)]
    [InlineData("BatchGetImage", """
        {"repositoryName": "ab", "imageIds": [{"imageTag": "v1"}, {"imageDigest": "sha256:00"}], "acceptedMediaTypes": ["application/vnd.oci.image.manifest.v1+json"]}
        """)]
    public void Valid_request_is_checked_without_allocating(string operationName, string json)
    {
        Assert.True(EcrModel.Shared.TryGetOperation(operationName, out var operation));
        using var document = JsonDocument.Parse(json);
        var validator = RequestValidator.Shared;
        Assert.Null(validator.Validate(operation, document.RootElement));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            validator.Validate(operation, document.RootElement);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
