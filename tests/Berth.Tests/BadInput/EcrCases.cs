using System.Net.Http.Headers;
using System.Text;
using static Berth.Tests.BadInput.BadInputServer;

namespace Berth.Tests.BadInput;

/// <summary>
/// Hand-written ECR cases: malformed bodies the model cannot describe (broken JSON, deep nesting, huge numbers, bytes
/// that are not UTF-8), wrong content types and targets, oversized bodies, and requests that pass the model but name
/// what does not exist or break a rule of the operation. Expected errors follow ecr-semantics.md §1.3 and the model.
/// </summary>
public static class EcrCases
{
    private const string Invalid = "InvalidParameterException";
    private const string Serialization = "SerializationException";
    private const string UnknownOperation = "UnknownOperationException";
    private const int MiB = 1024 * 1024;

    public static IEnumerable<BadInputCase> All() => Protocol().Concat(Semantic()).Concat(EcrGeneratedCases.All());

    /// <summary>A signed call of <paramref name="operation"/> with the given body bytes.</summary>
    public static BadInputCase Call(string name, string operation, Func<BadInputServer, byte[]> body, Expected expected, bool mayChangeData = false) =>
        new(name, server => server.EcrRequest(operation, body(server)), expected, mayChangeData);

    private static BadInputCase Json(string name, string operation, string json, Expected expected, bool mayChangeData = false) =>
        Call(name, operation, _ => Encoding.UTF8.GetBytes(json), expected, mayChangeData);

    /// <summary>Each char of <paramref name="latin1"/> is one byte on the wire, so the body can hold bytes that are not UTF-8.</summary>
    private static BadInputCase Bytes(string name, string operation, string latin1, Expected expected) =>
        Call(name, operation, _ => Encoding.Latin1.GetBytes(latin1), expected);

    private static Expected Fails(string type, string? fragment = null) => new(400, type, fragment);

    private static IEnumerable<BadInputCase> Protocol()
    {
        // Not JSON, or JSON of the wrong shape at the top.
        yield return Json("json.empty-object-open", "DescribeRepositories", "{", Fails(Serialization));
        yield return Json("json.missing-value", "DescribeRepositories", """{"maxResults":}""", Fails(Serialization));
        yield return Json("json.single-quotes", "DescribeRepositories", "{'maxResults':5}", Fails(Serialization));
        yield return Json("json.trailing-comma", "DescribeRepositories", """{"maxResults":5,}""", Fails(Serialization));
        yield return Json("json.trailing-garbage", "DescribeRepositories", """{"maxResults":5} x""", Fails(Serialization));
        yield return Json("json.two-documents", "DescribeRepositories", "{}{}", Fails(Serialization));
        yield return Json("json.unterminated-string", "CreateRepository", """{"repositoryName":"abc""", Fails(Serialization));
        yield return Json("json.bare-word", "DescribeRepositories", "describe", Fails(Serialization));
        yield return Json("json.comment", "DescribeRepositories", "{/* c */}", Fails(Serialization));
        yield return Json("json.nan", "DescribeRepositories", """{"maxResults":NaN}""", Fails(Serialization));
        yield return Json("json.control-char-in-string", "CreateRepository", "{\"repositoryName\":\"a\u0001b\"}", Fails(Serialization));
        yield return Json("json.bad-escape", "CreateRepository", """{"repositoryName":"a\qb"}""", Fails(Serialization));
        yield return Json("json.top-level-array", "DescribeRepositories", "[]", Fails(Serialization));
        yield return Json("json.top-level-string", "DescribeRepositories", "\"{}\"", Fails(Serialization));
        yield return Json("json.top-level-number", "DescribeRepositories", "42", Fails(Serialization));
        yield return Json("json.top-level-null", "DescribeRepositories", "null", Fails(Serialization));
        yield return Json("json.top-level-true", "CreateRepository", "true", Fails(Serialization));
        yield return Json("DescribeRegistry.top-level-array", "DescribeRegistry", "[{}]", Fails(Serialization));
        yield return Json("DescribeRegistry.top-level-string", "DescribeRegistry", "\"registry\"", Fails(Serialization));

        // Deep nesting: past the parser's depth limit, inside a known and an unknown member.
        yield return Json("nesting.deep-arrays-in-known-member", "DescribeRepositories", "{\"repositoryNames\":" + new string('[', 5000) + new string(']', 5000) + "}", Fails(Serialization));
        yield return Json("nesting.deep-objects-in-unknown-member", "CreateRepository", "{\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000) + ",\"repositoryName\":\"never/created\"}", Fails(Serialization));
        yield return Json("nesting.unclosed-arrays", "DescribeRepositories", new string('[', 100_000), Fails(Serialization));

        // Numbers no member can hold.
        yield return Json("number.exponent-overflow", "DescribeRepositories", """{"maxResults":1e400}""", Fails(Serialization, "at 'maxResults'"));
        yield return Json("number.beyond-int64", "DescribeRepositories", """{"maxResults":99999999999999999999999}""", Fails(Serialization, "at 'maxResults'"));
        yield return Json("number.fraction-for-integer", "ListImages", $$"""{"repositoryName":"{{Repository}}","maxResults":1.5}""", Fails(Serialization, "at 'maxResults'"));
        yield return Json("number.negative-max-results", "ListImages", $$"""{"repositoryName":"{{Repository}}","maxResults":-2147483649}""", Fails(Serialization, "at 'maxResults'"));
        yield return Json("number.long-overflow-part", "UploadLayerPart", $$"""{"repositoryName":"{{Repository}}","uploadId":"{{UnknownId}}","partFirstByte":9223372036854775808,"partLastByte":1,"layerPartBlob":"YQ=="}""", Fails(Serialization, "at 'partFirstByte'"));
        yield return Json("number.long-min-part", "UploadLayerPart", $$"""{"repositoryName":"{{Repository}}","uploadId":"{{UnknownId}}","partFirstByte":-9223372036854775808,"partLastByte":1,"layerPartBlob":"YQ=="}""", Fails(Invalid, "at 'partFirstByte'"));
        yield return Json("number.thousand-digit", "DescribeImages", $$"""{"repositoryName":"{{Repository}}","maxResults":{{new string('9', 1000)}}}""", Fails(Serialization, "at 'maxResults'"));
        yield return Json("number.bool-as-number", "DeleteRepository", $$"""{"repositoryName":"{{Repository}}","force":1}""", Fails(Serialization, "at 'force'"));

        // Strings that are not Unicode: raw bytes and escapes, in values and in member names.
        yield return Bytes("utf8.invalid-byte-in-name", "CreateRepository", "{\"repositoryName\":\"ab\u00FFcd\"}", Fails(Serialization));
        yield return Bytes("utf8.overlong-slash", "CreateRepository", "{\"repositoryName\":\"ab\u00C0\u00AFcd\"}", Fails(Serialization));
        yield return Bytes("utf8.truncated-sequence", "CreateRepository", "{\"repositoryName\":\"abc\xE2\x82\"}", Fails(Serialization));
        yield return Bytes("utf8.encoded-surrogate", "TagResource", $"{{\"resourceArn\":\"{EcrBaseRequests.RepositoryArn}\",\"tags\":[{{\"Key\":\"k\",\"Value\":\"\xED\xA0\x80\"}}]}}", Fails(Serialization));
        yield return Bytes("utf8.invalid-byte-in-member-name", "CreateRepository", "{\"repository\xFFName\":\"never/created\",\"repositoryName\":\"never/created\"}", Fails(Serialization));
        yield return Bytes("utf8.invalid-byte-in-policy-text", "PutLifecyclePolicy", $"{{\"repositoryName\":\"{EmptyRepository}\",\"lifecyclePolicyText\":{System.Text.Json.JsonSerializer.Serialize(LifecyclePolicy)[..^2]}\xFE\"}}", Fails(Serialization));
        yield return Bytes("utf8.invalid-byte-in-manifest", "PutImage", $"{{\"repositoryName\":\"{Repository}\",\"imageManifest\":\"{{\\\"schemaVersion\\\":2\xFF}}\"}}", Fails(Serialization));
        yield return Json("surrogate.lone-high-in-name", "CreateRepository", """{"repositoryName":"ab\ud800cd"}""", Fails(Serialization));
        yield return Json("surrogate.lone-low-in-tag-value", "TagResource", $$"""{"resourceArn":"{{EcrBaseRequests.RepositoryArn}}","tags":[{"Key":"k","Value":"\udc00"}]}""", Fails(Serialization));
        yield return Json("surrogate.high-then-letter", "TagResource", $$"""{"resourceArn":"{{EcrBaseRequests.RepositoryArn}}","tags":[{"Key":"k\ud800\u0041","Value":"v"}]}""", Fails(Serialization));
        yield return Json("surrogate.in-member-name", "CreateRepository", """{"repository\udc00Name":"x","repositoryName":"never/created"}""", Fails(Serialization));
        yield return Json("surrogate.in-media-type", "PutImage", $$"""{"repositoryName":"{{Repository}}","imageManifest":"{}","imageManifestMediaType":"application/json\ud83d"}""", Fails(Serialization));
        yield return Json("surrogate.in-unknown-member-value", "CreateRepository", """{"comment":"\udfff","repositoryName":"never/created"}""", Fails(Serialization));

        // The content type names another protocol: AWS answers as for an operation it does not know.
        foreach (var (label, type) in new[]
        {
            ("text-plain", "text/plain"), ("octet-stream", "application/octet-stream"), ("form", "application/x-www-form-urlencoded"),
            ("xml", "application/xml"), ("cbor", "application/cbor"),
        })
        {
            yield return new BadInputCase(
                "content-type." + label,
                server => server.EcrRequest("CreateRepository", """{"repositoryName":"never/created"}"""u8.ToArray(), type),
                Fails(UnknownOperation));
        }

        // Targets that name no ECR operation.
        foreach (var (label, target) in new[]
        {
            ("unknown-operation", EcrTarget("NoSuchOperation")), ("lowercase-operation", EcrTarget("describeRepositories")),
            ("other-service", "DynamoDB_20120810.DescribeRepositories"), ("no-prefix", "DescribeRepositories"),
            ("prefix-only", EcrTarget(string.Empty)), ("empty", string.Empty), ("old-api-version", "AmazonEC2ContainerRegistry_V20140101.DescribeRepositories"),
            ("trailing-dot", EcrTarget("DescribeRepositories.")),
        })
        {
            yield return new BadInputCase("target." + label, server => WithTarget(server, target), Fails(UnknownOperation));
        }

        yield return new BadInputCase("target.missing", server => WithTarget(server, null), Fails(UnknownOperation));

        // Bodies larger than any legitimate request of their operation.
        yield return Call("oversized.describe-over-1-MiB", "DescribeRepositories", _ => Padded(MiB + 1), new Expected(413, Serialization));
        yield return Call("oversized.put-image-over-16-MiB", "PutImage", _ => Padded(16 * MiB + 1), new Expected(413, Serialization));
        yield return Call("oversized.upload-part-over-32-MiB", "UploadLayerPart", _ => Padded(32 * MiB + 1), new Expected(413, Serialization));
        yield return new BadInputCase("oversized.chunked-over-1-MiB", server => Chunked(server, Padded(MiB + 1)), new Expected(413, Serialization));

        // Framing: a body that ends before its Content-Length, and a chunked body whose framing is broken.
        yield return new BadInputCase("framing.body-shorter-than-content-length", null, Fails(Serialization)) { Raw = s => RawEcr(s, "Content-Length: 100", "{}"), HangsUp = true };
        yield return new BadInputCase("framing.chunk-size-not-hex", null, Fails(Serialization)) { Raw = s => RawEcr(s, "Transfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n") };
        yield return new BadInputCase("framing.chunk-size-overflowing", null, Fails(Serialization)) { Raw = s => RawEcr(s, "Transfer-Encoding: chunked", "FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n") };

        // Members that are there but null, or null inside a list, count as missing.
        yield return Json("null.required-member", "CreateRepository", """{"repositoryName":null}""", Fails(Invalid, "at 'repositoryName'"));
        yield return Json("null.list-element", "BatchGetImage", $$"""{"repositoryName":"{{Repository}}","imageIds":[null]}""", Fails(Invalid, "at 'imageIds.1.member'"));
        yield return Json("empty-body.required-member", "CreateRepository", string.Empty, Fails(Invalid, "at 'repositoryName'"));

        // Legitimate: an empty body is {} and unknown members are ignored (both read-only answers).
        yield return Json("empty-body.no-required-member", "DescribeRepositories", string.Empty, new Expected(200));
        yield return Json("unknown-members.ignored", "DescribeRepositories", """{"bogus":{"deep":[1,{"x":null}]},"Repositorynames":5}""", new Expected(200));
    }

    private static IEnumerable<BadInputCase> Semantic()
    {
        var arn = EcrBaseRequests.RepositoryArn;
        const string OtherAccount = "210987654321";
        const string ValidDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        // Repositories.
        yield return Json("CreateRepository.existing-name", "CreateRepository", $$"""{"repositoryName":"{{Repository}}"}""", Fails("RepositoryAlreadyExistsException"));
        yield return Json("CreateRepository.other-account", "CreateRepository", $$"""{"registryId":"{{OtherAccount}}","repositoryName":"never/created"}""", Fails("AccessDeniedException"));
        yield return Json("CreateRepository.reserved-tag-key", "CreateRepository", """{"repositoryName":"never/created","tags":[{"Key":"aws:owner","Value":"x"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("CreateRepository.too-many-tags", "CreateRepository", $$"""{"repositoryName":"never/created","tags":[{{Tags(51)}}]}""", Fails("TooManyTagsException"));
        yield return Json("CreateRepository.duplicate-tag-keys", "CreateRepository", """{"repositoryName":"never/created","tags":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("CreateRepository.exclusion-filters-without-exclusion-mode", "CreateRepository", """{"repositoryName":"never/created","imageTagMutability":"MUTABLE","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"a*"}]}""", Fails(Invalid));
        yield return Json("CreateRepository.exclusion-mode-without-filters", "CreateRepository", """{"repositoryName":"never/created","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION"}""", Fails(Invalid));
        yield return Json("CreateRepository.name-with-double-slash", "CreateRepository", """{"repositoryName":"never//created"}""", Fails(Invalid, "at 'repositoryName'"));
        yield return Json("DescribeRepositories.unknown-name", "DescribeRepositories", """{"repositoryNames":["no/such/repo"]}""", Fails("RepositoryNotFoundException"));
        yield return Json("DescribeRepositories.garbage-next-token", "DescribeRepositories", """{"nextToken":"not a token"}""", Fails(Invalid));
        yield return Json("DescribeRepositories.other-account", "DescribeRepositories", $$"""{"registryId":"{{OtherAccount}}"}""", Fails("AccessDeniedException"));
        yield return Json("DeleteRepository.unknown", "DeleteRepository", """{"repositoryName":"no/such/repo"}""", Fails("RepositoryNotFoundException"));
        yield return Json("DeleteRepository.not-empty", "DeleteRepository", $$"""{"repositoryName":"{{Repository}}"}""", Fails("RepositoryNotEmptyException"));
        yield return Json("PutImageTagMutability.filters-with-plain-mode", "PutImageTagMutability", $$"""{"repositoryName":"{{Repository}}","imageTagMutability":"IMMUTABLE","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"a*"}]}""", Fails(Invalid));
        yield return Json("PutImageTagMutability.unknown-repository", "PutImageTagMutability", """{"repositoryName":"no/such/repo","imageTagMutability":"IMMUTABLE"}""", Fails("RepositoryNotFoundException"));
        yield return Json("PutImageScanningConfiguration.unknown-repository", "PutImageScanningConfiguration", """{"repositoryName":"no/such/repo","imageScanningConfiguration":{"scanOnPush":true}}""", Fails("RepositoryNotFoundException"));

        // Resource tags.
        yield return Json("ListTagsForResource.malformed-arn", "ListTagsForResource", """{"resourceArn":"not-an-arn"}""", Fails(Invalid));
        yield return Json("ListTagsForResource.unknown-repository", "ListTagsForResource", $$"""{"resourceArn":"arn:aws:ecr:{{Region}}:{{Account}}:repository/no/such/repo"}""", Fails("RepositoryNotFoundException"));
        yield return Json("ListTagsForResource.other-service-arn", "ListTagsForResource", $$"""{"resourceArn":"arn:aws:s3:::{{Repository}}"}""", Fails(Invalid));
        yield return Json("TagResource.reserved-key", "TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"Key":"aws:x","Value":"v"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("TagResource.empty-key", "TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"Key":"","Value":"v"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("TagResource.key-too-long", "TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"Key":"{{new string('k', 129)}}","Value":"v"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("TagResource.value-too-long", "TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{"Key":"k","Value":"{{new string('v', 257)}}"}]}""", Fails("InvalidTagParameterException"));
        yield return Json("TagResource.over-the-limit", "TagResource", $$"""{"resourceArn":"{{arn}}","tags":[{{Tags(50)}}]}""", Fails("TooManyTagsException"));
        yield return Json("TagResource.other-account", "TagResource", $$"""{"resourceArn":"arn:aws:ecr:{{Region}}:{{OtherAccount}}:repository/{{Repository}}","tags":[{"Key":"k","Value":"v"}]}""", Fails("AccessDeniedException"));
        yield return Json("UntagResource.malformed-arn", "UntagResource", """{"resourceArn":"arn:aws:ecr","tagKeys":["team"]}""", Fails(Invalid));
        yield return Json("UntagResource.reserved-key", "UntagResource", $$"""{"resourceArn":"{{arn}}","tagKeys":["aws:team"]}""", Fails("InvalidTagParameterException"));

        // Images.
        yield return Json("PutImage.manifest-not-json", "PutImage", $$"""{"repositoryName":"{{Repository}}","imageManifest":"this is not a manifest","imageTag":"v2"}""", Fails(Invalid));
        yield return Json("PutImage.manifest-json-array", "PutImage", $$"""{"repositoryName":"{{Repository}}","imageManifest":"[1,2]","imageTag":"v2"}""", Fails(Invalid));
        yield return Json("PutImage.unknown-repository", "PutImage", """{"repositoryName":"no/such/repo","imageManifest":"{}"}""", Fails("RepositoryNotFoundException"));
        yield return Call("PutImage.unknown-layer", "PutImage", s => Encoding.UTF8.GetBytes(PutImageJson(s.Seed.Manifest.Replace(s.Seed.Layer.Digest.ToString(), ValidDigest, StringComparison.Ordinal), "v2")), Fails("LayersNotFoundException"));
        yield return Call("PutImage.digest-mismatch", "PutImage", s => Encoding.UTF8.GetBytes(PutImageJson(s.Seed.Manifest, "v2", ValidDigest)), Fails("ImageDigestDoesNotMatchException"));
        yield return Call("PutImage.same-image-same-tag", "PutImage", s => Encoding.UTF8.GetBytes(PutImageJson(s.Seed.Manifest, Tag)), Fails("ImageAlreadyExistsException"));
        yield return Call("PutImage.media-type-contradicts-manifest", "PutImage", s => Encoding.UTF8.GetBytes(PutImageJson(s.Seed.Manifest, "v2", mediaType: "application/vnd.docker.distribution.manifest.v2+json")), Fails(Invalid));
        yield return Call("PutImage.invalid-tag", "PutImage", s => Encoding.UTF8.GetBytes(PutImageJson(s.Seed.Manifest, "bad tag!")), Fails(Invalid, "at 'imageTag'"));
        yield return Json("PutImage.schema-1", "PutImage", $$"""{"repositoryName":"{{Repository}}","imageManifest":"{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"v\",\"fsLayers\":[]}","imageTag":"v2"}""", Fails(Invalid));
        yield return Json("BatchGetImage.unknown-repository", "BatchGetImage", """{"repositoryName":"no/such/repo","imageIds":[{"imageTag":"v1"}]}""", Fails("RepositoryNotFoundException"));
        yield return Json("BatchGetImage.bad-digest-is-a-failure", "BatchGetImage", $$"""{"repositoryName":"{{Repository}}","imageIds":[{"imageDigest":"sha256:xyz"}]}""", new Expected(200));
        yield return Json("BatchDeleteImage.unknown-tag-is-a-failure", "BatchDeleteImage", $$"""{"repositoryName":"{{Repository}}","imageIds":[{"imageTag":"nope"}]}""", new Expected(200));
        yield return Json("BatchDeleteImage.empty-image-id", "BatchDeleteImage", $$"""{"repositoryName":"{{Repository}}","imageIds":[{}]}""", new Expected(200));
        yield return Json("DescribeImages.unknown-tag", "DescribeImages", $$"""{"repositoryName":"{{Repository}}","imageIds":[{"imageTag":"nope"}]}""", Fails("ImageNotFoundException"));
        yield return Json("DescribeImages.unknown-repository", "DescribeImages", """{"repositoryName":"no/such/repo"}""", Fails("RepositoryNotFoundException"));
        yield return Json("DescribeImages.garbage-next-token", "DescribeImages", $$"""{"repositoryName":"{{Repository}}","nextToken":"%%%"}""", Fails(Invalid));
        yield return Json("ListImages.garbage-next-token", "ListImages", $$"""{"repositoryName":"{{Repository}}","nextToken":"AAAA"}""", Fails(Invalid));
        yield return Json("DescribeImageReplicationStatus.unknown-image", "DescribeImageReplicationStatus", $$$"""{"repositoryName":"{{{Repository}}}","imageId":{"imageTag":"nope"}}""", Fails("ImageNotFoundException"));
        yield return Json("UpdateImageStorageClass.unknown-image", "UpdateImageStorageClass", $$"""{"repositoryName":"{{Repository}}","imageId":{"imageDigest":"{{ValidDigest}}"},"targetStorageClass":"ARCHIVE"}""", Fails("ImageNotFoundException"));
        yield return Json("ListImageReferrers.malformed-subject", "ListImageReferrers", $$$"""{"repositoryName":"{{{Repository}}}","subjectId":{"imageDigest":"sha256:short"}}""", Fails(Invalid));
        yield return Json("ListImageReferrers.unknown-repository", "ListImageReferrers", $$$"""{"repositoryName":"no/such/repo","subjectId":{"imageDigest":"{{{ValidDigest}}}"}}""", Fails("RepositoryNotFoundException"));

        // Layers.
        yield return Json("InitiateLayerUpload.unknown-repository", "InitiateLayerUpload", """{"repositoryName":"no/such/repo"}""", Fails("RepositoryNotFoundException"));
        yield return Json("UploadLayerPart.unknown-upload", "UploadLayerPart", $$"""{"repositoryName":"{{Repository}}","uploadId":"{{UnknownId}}","partFirstByte":0,"partLastByte":2,"layerPartBlob":"YWJj"}""", Fails("UploadNotFoundException"));
        yield return Call("UploadLayerPart.first-after-last", "UploadLayerPart", s => Part(s, 2, 0, "YWJj"), Fails("InvalidLayerPartException"));
        yield return Call("UploadLayerPart.not-at-the-end", "UploadLayerPart", s => Part(s, 5, 7, "YWJj"), Fails("InvalidLayerPartException"));
        yield return Call("UploadLayerPart.range-longer-than-blob", "UploadLayerPart", s => Part(s, 0, 9, "YWJj"), Fails("InvalidLayerPartException"));
        yield return Call("UploadLayerPart.not-base64", "UploadLayerPart", s => Part(s, 0, 2, "!!!!"), Fails(Serialization, "at 'layerPartBlob'"));
        yield return Call("UploadLayerPart.other-repository", "UploadLayerPart", s => Part(s, 0, 2, "YWJj", EmptyRepository), Fails("UploadNotFoundException"));
        yield return Json("CompleteLayerUpload.unknown-upload", "CompleteLayerUpload", $$"""{"repositoryName":"{{Repository}}","uploadId":"{{UnknownId}}","layerDigests":["{{ValidDigest}}"]}""", Fails("UploadNotFoundException"));
        yield return Json("CompleteLayerUpload.malformed-digest", "CompleteLayerUpload", $$"""{"repositoryName":"{{Repository}}","uploadId":"{{UnknownId}}","layerDigests":["sha256:xyz"]}""", Fails(Invalid));
        yield return Json("GetDownloadUrlForLayer.unknown-layer", "GetDownloadUrlForLayer", $$"""{"repositoryName":"{{Repository}}","layerDigest":"{{ValidDigest}}"}""", Fails("LayersNotFoundException"));
        yield return Json("GetDownloadUrlForLayer.unknown-repository", "GetDownloadUrlForLayer", $$"""{"repositoryName":"no/such/repo","layerDigest":"{{ValidDigest}}"}""", Fails("RepositoryNotFoundException"));
        yield return Json("GetDownloadUrlForLayer.malformed-digest", "GetDownloadUrlForLayer", $$"""{"repositoryName":"{{Repository}}","layerDigest":"sha256:xyz"}""", Fails(Invalid));
        yield return Json("BatchCheckLayerAvailability.unknown-repository", "BatchCheckLayerAvailability", $$"""{"repositoryName":"no/such/repo","layerDigests":["{{ValidDigest}}"]}""", Fails("RepositoryNotFoundException"));

        // Lifecycle.
        yield return Json("GetLifecyclePolicy.none-set", "GetLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}"}""", Fails("LifecyclePolicyNotFoundException"));
        yield return Json("DeleteLifecyclePolicy.none-set", "DeleteLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}"}""", Fails("LifecyclePolicyNotFoundException"));
        yield return Json("GetLifecyclePolicyPreview.none-started", "GetLifecyclePolicyPreview", $$"""{"repositoryName":"{{EmptyRepository}}"}""", Fails("LifecyclePolicyPreviewNotFoundException"));
        yield return Json("StartLifecyclePolicyPreview.no-policy", "StartLifecyclePolicyPreview", $$"""{"repositoryName":"{{EmptyRepository}}"}""", Fails("LifecyclePolicyNotFoundException"));
        yield return Json("PutLifecyclePolicy.not-json", "PutLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}","lifecyclePolicyText":"{{new string('x', 120)}}"}""", Fails(Invalid, "at 'LifecyclePolicyText'"));
        yield return Json("PutLifecyclePolicy.no-rules", "PutLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}","lifecyclePolicyText":"{\"rules\":[]{{new string(' ', 100)}}}"}""", Fails(Invalid, "at 'LifecyclePolicyText'"));
        yield return Json("PutLifecyclePolicy.unknown-action", "PutLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}","lifecyclePolicyText":{{System.Text.Json.JsonSerializer.Serialize(LifecyclePolicy.Replace("\"expire\"", "\"explode\"", StringComparison.Ordinal))}}}""", Fails(Invalid, "at 'LifecyclePolicyText'"));
        yield return Json("PutLifecyclePolicy.unknown-repository", "PutLifecyclePolicy", $$"""{"repositoryName":"no/such/repo","lifecyclePolicyText":{{System.Text.Json.JsonSerializer.Serialize(LifecyclePolicy)}}}""", Fails("RepositoryNotFoundException"));
        yield return Json("PutLifecyclePolicy.deeply-nested-text", "PutLifecyclePolicy", $$"""{"repositoryName":"{{EmptyRepository}}","lifecyclePolicyText":"{{new string('[', 10_000)}}"}""", Fails(Invalid, "at 'LifecyclePolicyText'"));
    }

    private static string EcrTarget(string operation) => "AmazonEC2ContainerRegistry_V20150921." + operation;

    private static HttpRequestMessage WithTarget(BadInputServer server, string? target)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/")) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        Support.SigV4Signer.Sign(request, "{}"u8.ToArray(), server.Credentials, Region, DateTimeOffset.UtcNow);
        return request;
    }

    /// <summary>A signed CreateRepository sent with the given framing header and body bytes; it must never reach the operation.</summary>
    private static byte[] RawEcr(BadInputServer server, string framing, string body)
    {
        using var signed = server.EcrRequest("CreateRepository", """{"repositoryName":"never/created"}"""u8.ToArray());
        var headers = signed.Headers
            .Select(header => $"{header.Key}: {string.Join(",", header.Value)}")
            .Append("Content-Type: application/x-amz-json-1.1")
            .Append(framing)
            .ToArray();
        return Encoding.Latin1.GetBytes(RawHttp.Head(server, "POST", "/", headers) + body);
    }

    private static HttpRequestMessage Chunked(BadInputServer server, byte[] body)
    {
        var request = server.EcrRequest("DescribeRepositories", body);
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = request.Content!.Headers.ContentType;
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    private static byte[] Padded(int length)
    {
        var body = new byte[length];
        body.AsSpan().Fill((byte)' ');
        body[0] = (byte)'{';
        body[^1] = (byte)'}';
        return body;
    }

    private static string Tags(int count) =>
        string.Join(',', Enumerable.Range(0, count).Select(i => $$"""{"Key":"k{{i}}","Value":"v"}"""));

    private static string PutImageJson(string manifest, string tag, string? digest = null, string? mediaType = null)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["repositoryName"] = Repository,
            ["imageManifest"] = manifest,
            ["imageTag"] = tag,
        };
        if (digest is not null)
        {
            body["imageDigest"] = digest;
        }

        if (mediaType is not null)
        {
            body["imageManifestMediaType"] = mediaType;
        }

        return body.ToJsonString();
    }

    private static byte[] Part(BadInputServer server, long first, long last, string blob, string repository = Repository) => Encoding.UTF8.GetBytes(
        $$"""{"repositoryName":"{{repository}}","uploadId":"{{server.EcrUploadId}}","partFirstByte":{{first}},"partLastByte":{{last}},"layerPartBlob":"{{blob}}"}""");
}
