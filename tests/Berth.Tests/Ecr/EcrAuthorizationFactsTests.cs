using Berth.Domain.Auth;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Ecr;

/// <summary>The facts the ECR pipeline hands the authorizer besides who, what and where: the tags a call sets or names, and its transport.</summary>
public sealed class EcrAuthorizationFactsTests
{
    private const string Arn = "arn:aws:ecr:us-east-1:123456789012:repository/facts";

    [Fact]
    public async Task Tagging_calls_and_CreateRepository_with_tags_carry_their_request_tags_and_TagKeys()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        var ecr = host.Ecr();

        await ecr.OkAsync("CreateRepository", """{"repositoryName":"facts","tags":[{"Key":"team","Value":"blue"},{"Key":"cost","Value":"7"}]}""");
        var create = Last(authorizer, "ecr:CreateRepository");
        Assert.Equal(new Dictionary<string, string> { ["team"] = "blue", ["cost"] = "7" }, create.RequestTags);
        Assert.Equal(["team", "cost"], create.TagKeys);
        Assert.False(create.SecureTransport);

        await ecr.OkAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"team","Value":"red"}]}""");
        var tag = Last(authorizer, "ecr:TagResource");
        Assert.Equal(new Dictionary<string, string> { ["team"] = "red" }, tag.RequestTags);
        Assert.Equal(["team"], tag.TagKeys);

        await ecr.OkAsync("UntagResource", $$"""{"resourceArn":"{{Arn}}","tagKeys":["team","cost"]}""");
        var untag = Last(authorizer, "ecr:UntagResource");
        Assert.Null(untag.RequestTags);
        Assert.Equal(["team", "cost"], untag.TagKeys);

        // A call that names no tags carries none, so ForAnyValue conditions on aws:TagKeys do not match it.
        await ecr.OkAsync("CreateRepository", """{"repositoryName":"untagged"}""");
        var plain = Last(authorizer, "ecr:CreateRepository");
        Assert.Null(plain.RequestTags);
        Assert.Null(plain.TagKeys);
        await ecr.OkAsync("DescribeRepositories");
        Assert.Null(Last(authorizer, "ecr:DescribeRepositories").TagKeys);
    }

    private static AuthorizationRequest Last(RecordingAuthorizer authorizer, string action) =>
        authorizer.Requests.Last(request => request.Action == action);
}
