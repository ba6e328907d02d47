using Berth.Tests.Support;

namespace Berth.Tests.Ecr;

public sealed class TaggingOperationsTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:ecr:us-east-1:123456789012:repository/tagged";
    private BerthHost _host = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync();
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"tagged","tags":[{"Key":"team","Value":"web"},{"Key":"env","Value":""}]}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> TagsAsync() =>
        (await Ecr.OkAsync("ListTagsForResource", $$"""{"resourceArn":"{{Arn}}"}""")).GetProperty("tags").GetRawText();

    [Fact]
    public async Task Tags_from_CreateRepository_are_listed_with_capitalised_members()
    {
        Assert.Equal("""[{"Key":"env","Value":""},{"Key":"team","Value":"web"}]""", await TagsAsync());
    }

    [Fact]
    public async Task TagResource_upserts_and_returns_an_empty_object()
    {
        var body = await Ecr.OkAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"team","Value":"api"},{"Key":"cost","Value":"42"}]}""");

        Assert.Equal("{}", body.GetRawText());
        Assert.Equal("""[{"Key":"cost","Value":"42"},{"Key":"env","Value":""},{"Key":"team","Value":"api"}]""", await TagsAsync());
    }

    [Fact]
    public async Task UntagResource_removes_keys_and_ignores_absent_ones()
    {
        await Ecr.OkAsync("UntagResource", $$"""{"resourceArn":"{{Arn}}","tagKeys":["team","never-set"]}""");
        Assert.Equal("""[{"Key":"env","Value":""}]""", await TagsAsync());
    }

    [Fact]
    public async Task More_than_fifty_tags_is_TooManyTagsException_and_changes_nothing()
    {
        var tags = string.Join(',', Enumerable.Range(0, 49).Select(i => $$"""{"Key":"k{{i}}","Value":"v"}"""));
        var message = await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{{tags}}]}""", "TooManyTagsException");

        Assert.Equal("The maximum number of tags that can be applied to a repository is 50", message);
        Assert.Equal("""[{"Key":"env","Value":""},{"Key":"team","Value":"web"}]""", await TagsAsync());
    }

    [Fact]
    public async Task Exactly_fifty_tags_are_allowed()
    {
        var tags = string.Join(',', Enumerable.Range(0, 48).Select(i => $$"""{"Key":"k{{i}}","Value":"v"}"""));
        await Ecr.OkAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{{tags}}]}""");
    }

    [Theory]
    [InlineData("""{"Key":"aws:owner","Value":"x"}""")]
    [InlineData("""{"Key":"AWS:owner","Value":"x"}""")]
    [InlineData("""{"Key":"","Value":"x"}""")]
    [InlineData("""{"Key":"bad*char","Value":"x"}""")]
    [InlineData("""{"Key":"ok","Value":"bad{char"}""")]
    public async Task Invalid_tags_are_InvalidTagParameterException(string tag)
    {
        await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{{tag}}]}""", "InvalidTagParameterException");
    }

    [Fact]
    public async Task Tag_key_and_value_length_limits_are_enforced()
    {
        var longKey = new string('k', 129);
        var longValue = new string('v', 257);
        await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"{{longKey}}","Value":"x"}]}""", "InvalidTagParameterException");
        await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"k","Value":"{{longValue}}"}]}""", "InvalidTagParameterException");
        await Ecr.OkAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"{{new string('k', 128)}}","Value":"{{new string('v', 256)}}"}]}""");
        await Ecr.OkAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"With spaces + - = . _ : / @ ünïcode","Value":"ok"}]}""");
    }

    [Fact]
    public async Task Tag_members_missing_are_InvalidParameterException()
    {
        await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}","tags":[{"Key":"only-key"}]}""", "InvalidParameterException");
        await Ecr.FailsAsync("TagResource", $$"""{"resourceArn":"{{Arn}}"}""", "InvalidParameterException");
    }

    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:ecr:us-east-1:12345:repository/tagged")]
    [InlineData("arn:aws:ecr:us-east-1:123456789012:cluster/tagged")]
    [InlineData("arn:aws-cn:ecr:us-east-1:123456789012:repository/tagged")]
    public async Task Malformed_ARNs_are_InvalidParameterException(string arn)
    {
        var message = await Ecr.FailsAsync("ListTagsForResource", $$"""{"resourceArn":"{{arn}}"}""", "InvalidParameterException");
        Assert.Equal("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'", message);
    }

    [Fact]
    public async Task Unknown_repository_ARNs_are_RepositoryNotFoundException()
    {
        foreach (var operation in new[] { ("ListTagsForResource", ""), ("TagResource", ",\"tags\":[{\"Key\":\"a\",\"Value\":\"b\"}]"), ("UntagResource", ",\"tagKeys\":[\"a\"]") })
        {
            await Ecr.FailsAsync(operation.Item1, $$"""{"resourceArn":"arn:aws:ecr:us-east-1:123456789012:repository/absent"{{operation.Item2}}}""", "RepositoryNotFoundException");
        }

        await Ecr.FailsAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:eu-west-1:123456789012:repository/tagged"}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task Another_accounts_ARN_is_AccessDeniedException()
    {
        await Ecr.FailsAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:us-east-1:210987654321:repository/tagged"}""", "AccessDeniedException");
    }
}
