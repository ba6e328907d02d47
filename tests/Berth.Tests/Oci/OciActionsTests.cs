using Berth.Domain;
using Berth.Oci;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Berth.Tests.Oci;

/// <summary>The table of ECR actions each /v2/ request needs.</summary>
public sealed class OciActionsTests
{
    private const string Layer = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private static readonly RegistryScope Scope = new("123456789012", "us-east-1");

    [Theory]
    [InlineData(OciResource.Base, "GET", "")]
    [InlineData(OciResource.Catalog, "GET", "ecr:DescribeRepositories")]
    [InlineData(OciResource.Tags, "GET", "ecr:ListImages")]
    [InlineData(OciResource.Referrers, "GET", "ecr:BatchGetImage")]
    [InlineData(OciResource.Manifest, "GET", "ecr:BatchGetImage")]
    [InlineData(OciResource.Manifest, "HEAD", "ecr:BatchGetImage")]
    [InlineData(OciResource.Manifest, "PUT", "ecr:PutImage")]
    [InlineData(OciResource.Manifest, "DELETE", "ecr:BatchDeleteImage")]
    [InlineData(OciResource.Blob, "GET", "ecr:GetDownloadUrlForLayer")]
    [InlineData(OciResource.Blob, "HEAD", "ecr:BatchCheckLayerAvailability")]
    [InlineData(OciResource.Blob, "DELETE", "ecr:BatchDeleteImage")]
    [InlineData(OciResource.Uploads, "POST", "ecr:InitiateLayerUpload ecr:UploadLayerPart ecr:CompleteLayerUpload")]
    [InlineData(OciResource.Upload, "PATCH", "ecr:UploadLayerPart")]
    [InlineData(OciResource.Upload, "GET", "ecr:UploadLayerPart")]
    [InlineData(OciResource.Upload, "DELETE", "ecr:UploadLayerPart")]
    [InlineData(OciResource.Upload, "PUT", "ecr:UploadLayerPart ecr:CompleteLayerUpload")]
    [InlineData(OciResource.Manifest, "POST", "")]
    [InlineData(OciResource.Catalog, "DELETE", "")]
    public void Each_method_on_each_resource_needs_the_ECR_actions_of_the_same_work(OciResource resource, string method, string actions)
    {
        Assert.Equal(actions, string.Join(' ', OciActions.For(resource, method)));
    }

    [Fact]
    public void Route_actions_apply_to_the_routes_repository_and_the_catalog_to_every_repository()
    {
        var manifest = OciActions.Required(new OciRoute(OciResource.Manifest, "team/app", "v1"), "GET", Query(), Scope);
        var catalog = OciActions.Required(new OciRoute(OciResource.Catalog, string.Empty, string.Empty), "GET", Query(), Scope);

        Assert.Equal("ecr:BatchGetImage arn:aws:ecr:us-east-1:123456789012:repository/team/app", Describe(manifest));
        Assert.Equal("ecr:DescribeRepositories arn:aws:ecr:us-east-1:123456789012:repository/*", Describe(catalog));
    }

    [Fact]
    public void A_mount_also_needs_to_read_the_layer_in_the_from_repository()
    {
        var required = OciActions.Required(Uploads("target"), "POST", Query(("mount", Layer), ("from", "base/image")), Scope);

        Assert.Equal(
            "ecr:InitiateLayerUpload arn:aws:ecr:us-east-1:123456789012:repository/target, "
            + "ecr:UploadLayerPart arn:aws:ecr:us-east-1:123456789012:repository/target, "
            + "ecr:CompleteLayerUpload arn:aws:ecr:us-east-1:123456789012:repository/target, "
            + "ecr:GetDownloadUrlForLayer arn:aws:ecr:us-east-1:123456789012:repository/base/image",
            Describe(required));
    }

    [Theory]
    [InlineData("not-a-digest", "base")]
    [InlineData(Layer, "")]
    [InlineData(Layer, "Not/Valid")]
    [InlineData("", "base")]
    public void A_mount_the_handler_will_not_attempt_needs_no_read_of_its_source(string mount, string from)
    {
        var required = OciActions.Required(Uploads("target"), "POST", Query(("mount", mount), ("from", from)), Scope);

        Assert.Equal(3, required.Count);
        Assert.All(required, p => Assert.Equal("target", p.Resource.RepositoryName));
    }

    private static OciRoute Uploads(string name) => new(OciResource.Uploads, name, string.Empty);

    private static QueryCollection Query(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => new StringValues(v.Value)));

    private static string Describe(IEnumerable<OciPermission> permissions) =>
        string.Join(", ", permissions.Select(p => $"{p.Action} {p.Resource.Arn}"));
}
