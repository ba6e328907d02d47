using Berth.Domain.Auth;
using Berth.Ecr;
using Berth.Ecr.Model;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Ecr;

/// <summary>The operation descriptors, and the pipeline's one authorization per call.</summary>
public sealed class EcrOperationsTests : IAsyncLifetime
{
    private const string Denied = "because no resource-based policy allows the";

    private BerthHost _host = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EcrOperations Operations => _host.Services.GetRequiredService<EcrOperations>();

    [Fact]
    public void Every_model_operation_has_exactly_one_descriptor_named_for_its_IAM_action()
    {
        var model = EcrModel.Shared.Operations.Select(o => o.Name).Order(StringComparer.Ordinal).ToArray();
        var described = Operations.All.Select(d => d.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(58, model.Length);
        Assert.Equal(model, described);
        Assert.All(Operations.All, d => Assert.Equal("ecr:" + d.Name, d.Action));
    }

    [Fact]
    public void Each_descriptor_looks_for_its_resource_where_the_operation_names_it()
    {
        foreach (var operation in EcrModel.Shared.Operations)
        {
            var members = operation.InputShape is { } input
                ? EcrModel.Shared.GetShape(input).Members.Select(m => m.Name).ToHashSet()
                : [];
            // Listing repositories is authorized on every repository (repository/*), as ECR's error messages name it.
            var expected = members.Contains("resourceArn") ? EcrResourceSelector.ResourceArn
                : members.Contains("repositoryName") ? EcrResourceSelector.Repository
                : operation.Name == "DescribeRepositories" ? EcrResourceSelector.Repositories
                : EcrResourceSelector.Registry;
            Assert.True(expected == Operations[operation.Name].Resource, $"{operation.Name}: {Operations[operation.Name].Resource}, expected {expected}");
        }
    }

    [Theory]
    [InlineData("DescribeImages", EcrAccess.Read)]
    [InlineData("GetAuthorizationToken", EcrAccess.Read)]
    [InlineData("BatchGetImage", EcrAccess.Read)]
    [InlineData("PutImage", EcrAccess.Write)]
    [InlineData("TagResource", EcrAccess.Write)]
    [InlineData("SetRepositoryPolicy", EcrAccess.Write)]
    public void Descriptors_say_whether_an_operation_writes(string operation, EcrAccess access)
    {
        Assert.Equal(access, Operations[operation].Access);
    }

    [Fact]
    public async Task Another_registryId_is_refused_with_ECRs_message_naming_principal_action_and_resource()
    {
        var create = await Ecr.FailsAsync("CreateRepository", """{"registryId":"210987654321","repositoryName":"theirs"}""", "AccessDeniedException");
        var describe = await Ecr.FailsAsync("DescribeRepositories", """{"registryId":"210987654321"}""", "AccessDeniedException");
        var tags = await Ecr.FailsAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:eu-west-1:210987654321:repository/theirs"}""", "AccessDeniedException");

        Assert.Equal($"User: arn:aws:iam::123456789012:root is not authorized to perform: ecr:CreateRepository on resource: arn:aws:ecr:us-east-1:210987654321:repository/theirs {Denied} ecr:CreateRepository action", create);
        Assert.Equal($"User: arn:aws:iam::123456789012:root is not authorized to perform: ecr:DescribeRepositories on resource: arn:aws:ecr:us-east-1:210987654321:repository/* {Denied} ecr:DescribeRepositories action", describe);
        Assert.Equal($"User: arn:aws:iam::123456789012:root is not authorized to perform: ecr:ListTagsForResource on resource: arn:aws:ecr:eu-west-1:210987654321:repository/theirs {Denied} ecr:ListTagsForResource action", tags);
    }

    [Fact]
    public async Task Each_call_is_authorized_once_as_its_action_on_the_resource_it_names()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        var ecr = host.Ecr();
        var root = Principal.Root("123456789012", "aws");

        await ecr.OkAsync("CreateRepository", """{"repositoryName":"team/app"}""");
        await ecr.OkAsync("DescribeRepositories", """{"registryId":"123456789012"}""");
        await ecr.OkAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:us-east-1:123456789012:repository/team/app"}""");
        await ecr.OkAsync("GetAuthorizationToken");

        Assert.Equal(
            new (Principal, string, string)[]
            {
                (root, "ecr:CreateRepository", "arn:aws:ecr:us-east-1:123456789012:repository/team/app"),
                (root, "ecr:DescribeRepositories", "arn:aws:ecr:us-east-1:123456789012:repository/*"),
                (root, "ecr:ListTagsForResource", "arn:aws:ecr:us-east-1:123456789012:repository/team/app"),
                (root, "ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:123456789012:registry"),
            },
            authorizer.Calls.Select(c => (c.Principal, c.Action, c.Resource.Arn)).ToArray());
    }

    [Fact]
    public async Task A_denied_call_never_reaches_its_handler()
    {
        var denyPuts = new RecordingAuthorizer((_, action, _) => action == "ecr:CreateRepository" ? AuthorizationDecision.Denied : AuthorizationDecision.Allowed);
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(denyPuts));
        var ecr = host.Ecr();

        var message = await ecr.FailsAsync("CreateRepository", """{"repositoryName":"refused"}""", "AccessDeniedException");

        Assert.StartsWith("User: arn:aws:iam::123456789012:root is not authorized to perform: ecr:CreateRepository", message, StringComparison.Ordinal);
        var listed = await ecr.OkAsync("DescribeRepositories");
        Assert.Equal(0, listed.GetProperty("repositories").GetArrayLength());
    }

    [Fact]
    public async Task Calls_refused_before_authorization_do_not_ask_the_authorizer()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        var ecr = host.Ecr();

        await ecr.FailsAsync("CreateRepository", """{"repositoryName":"UPPER"}""", "InvalidParameterException");
        await ecr.FailsAsync("ListTagsForResource", """{"resourceArn":"not-an-arn"}""", "InvalidParameterException");

        Assert.Empty(authorizer.Calls);
    }
}
