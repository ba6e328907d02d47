using System.Text.Json;
using Berth.Hosting;
using Berth.Tests.Support;

namespace Berth.Tests.Ecr;

/// <summary>
/// Create, Describe, Update and DeleteRepositoryCreationTemplate over the wire: every field read back as sent, every
/// error of the model, paging and the per-registry limit.
/// </summary>
public sealed class TemplateOperationsTests : IAsyncLifetime
{
    internal const string Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}""";
    internal const string Lifecycle = """{"rules":[{"rulePriority":1,"description":"keep 5","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}""";

    private BerthHost _host = null!;
    private EcrClient _ecr = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.None);
        _ecr = _host.Ecr();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    internal static string Full(string prefix) => JsonSerializer.Serialize(new
    {
        prefix,
        description = "team prod",
        encryptionConfiguration = new { encryptionType = "KMS", kmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab" },
        resourceTags = new[] { new { Key = "team", Value = "prod" }, new { Key = "cost", Value = "" } },
        imageTagMutability = "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters = new[] { new { filterType = "WILDCARD", filter = "latest" } },
        repositoryPolicy = Policy,
        lifecyclePolicy = Lifecycle,
        appliedFor = new[] { "CREATE_ON_PUSH", "REPLICATION" },
        customRoleArn = "arn:aws:iam::123456789012:role/ecr-templates",
    });

    [Fact]
    public async Task Create_answers_every_field_as_sent_and_describe_reads_it_back()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = await _ecr.OkAsync("CreateRepositoryCreationTemplate", Full("prod"));

        Assert.Equal("123456789012", created.GetProperty("registryId").GetString());
        var template = created.GetProperty("repositoryCreationTemplate");
        AssertFull(template, "prod");
        Assert.InRange(template.GetProperty("createdAt").GetDecimal(), before - 1, before + 60);
        Assert.Equal(template.GetProperty("createdAt").GetDecimal(), template.GetProperty("updatedAt").GetDecimal());

        var described = await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"prefixes":["prod"]}""");
        Assert.Equal("123456789012", described.GetProperty("registryId").GetString());
        AssertFull(Assert.Single(described.GetProperty("repositoryCreationTemplates").EnumerateArray()), "prod");
        Assert.False(described.TryGetProperty("nextToken", out _));
    }

    [Fact]
    public async Task A_minimal_template_takes_ECRs_defaults()
    {
        var template = (await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"ROOT","appliedFor":["PULL_THROUGH_CACHE"]}"""))
            .GetProperty("repositoryCreationTemplate");

        Assert.Equal("ROOT", template.GetProperty("prefix").GetString());
        Assert.Equal("MUTABLE", template.GetProperty("imageTagMutability").GetString());
        Assert.Equal("AES256", template.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal(0, template.GetProperty("resourceTags").GetArrayLength());
        Assert.Equal(["PULL_THROUGH_CACHE"], template.GetProperty("appliedFor").EnumerateArray().Select(e => e.GetString()));
        foreach (var absent in new[] { "description", "repositoryPolicy", "lifecyclePolicy", "customRoleArn", "imageTagMutabilityExclusionFilters" })
        {
            Assert.False(template.TryGetProperty(absent, out _), absent);
        }
    }

    [Fact]
    public async Task A_second_template_for_the_same_namespace_is_TemplateAlreadyExists()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"prod","appliedFor":["CREATE_ON_PUSH"]}""");

        var again = await _ecr.FailsAsync("CreateRepositoryCreationTemplate", """{"prefix":"prod","appliedFor":["REPLICATION"]}""", "TemplateAlreadyExistsException");
        await _ecr.FailsAsync("CreateRepositoryCreationTemplate", """{"prefix":"prod/","appliedFor":["REPLICATION"]}""", "TemplateAlreadyExistsException");

        Assert.Contains("'prod'", again, StringComparison.Ordinal);
        var stored = (await _ecr.OkAsync("DescribeRepositoryCreationTemplates")).GetProperty("repositoryCreationTemplates");
        Assert.Equal(["CREATE_ON_PUSH"], Assert.Single(stored.EnumerateArray()).GetProperty("appliedFor").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Update_changes_only_what_it_sends_and_moves_updatedAt()
    {
        var created = (await _ecr.OkAsync("CreateRepositoryCreationTemplate", Full("prod"))).GetProperty("repositoryCreationTemplate");
        await Task.Delay(20);

        var updated = (await _ecr.OkAsync("UpdateRepositoryCreationTemplate", """{"prefix":"prod","description":"changed","imageTagMutability":"MUTABLE","lifecyclePolicy":""}"""))
            .GetProperty("repositoryCreationTemplate");

        Assert.Equal("changed", updated.GetProperty("description").GetString());
        Assert.Equal("MUTABLE", updated.GetProperty("imageTagMutability").GetString());
        Assert.False(updated.TryGetProperty("imageTagMutabilityExclusionFilters", out _));
        Assert.False(updated.TryGetProperty("lifecyclePolicy", out _));
        Assert.Equal(Policy, updated.GetProperty("repositoryPolicy").GetString());
        Assert.Equal(2, updated.GetProperty("resourceTags").GetArrayLength());
        Assert.Equal(created.GetProperty("createdAt").GetDecimal(), updated.GetProperty("createdAt").GetDecimal());
        Assert.True(updated.GetProperty("updatedAt").GetDecimal() > created.GetProperty("updatedAt").GetDecimal());

        var described = (await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"prefixes":["prod"]}""")).GetProperty("repositoryCreationTemplates")[0];
        Assert.Equal("changed", described.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Update_and_delete_of_an_unknown_prefix_are_TemplateNotFound()
    {
        var update = await _ecr.FailsAsync("UpdateRepositoryCreationTemplate", """{"prefix":"nothing","description":"x"}""", "TemplateNotFoundException");
        var delete = await _ecr.FailsAsync("DeleteRepositoryCreationTemplate", """{"prefix":"nothing"}""", "TemplateNotFoundException");

        Assert.Equal("The repository creation template with prefix 'nothing' does not exist in the registry with id '123456789012'", update);
        Assert.Contains("'nothing'", delete, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_answers_the_template_once_and_describe_then_leaves_it_out()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", Full("prod"));

        var deleted = await _ecr.OkAsync("DeleteRepositoryCreationTemplate", """{"prefix":"prod"}""");

        AssertFull(deleted.GetProperty("repositoryCreationTemplate"), "prod");
        await _ecr.FailsAsync("DeleteRepositoryCreationTemplate", """{"prefix":"prod"}""", "TemplateNotFoundException");
        Assert.Equal(0, (await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"prefixes":["prod"]}""")).GetProperty("repositoryCreationTemplates").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"repositoryPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}]}"}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"repositoryPolicy":"not json"}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"lifecyclePolicy":"{\"rules\":[]}"}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"imageTagMutability":"MUTABLE","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"x"}]}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"imageTagMutability":"IMMUTABLE_WITH_EXCLUSION"}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"encryptionConfiguration":{"encryptionType":"AES256","kmsKey":"arn:aws:kms:us-east-1:123456789012:key/k"}}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"resourceTags":[{"Key":"aws:x","Value":"y"}]}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"Upper","appliedFor":["CREATE_ON_PUSH"]}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":["SOMETHING"]}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p"}""", "InvalidParameterException")]
    [InlineData("""{"prefix":"p","appliedFor":[]}""", "ValidationException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"customRoleArn":"arn:aws:iam::999999999999:role/x"}""", "ValidationException")]
    [InlineData("""{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"customRoleArn":"not-an-arn"}""", "ValidationException")]
    public async Task Bad_fields_are_refused_and_nothing_is_stored(string body, string error)
    {
        await _ecr.FailsAsync("CreateRepositoryCreationTemplate", body, error);

        Assert.Equal(0, (await _ecr.OkAsync("DescribeRepositoryCreationTemplates")).GetProperty("repositoryCreationTemplates").GetArrayLength());
    }

    [Fact]
    public async Task An_update_that_would_make_the_template_invalid_is_refused_and_changes_nothing()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"p","appliedFor":["CREATE_ON_PUSH"],"description":"kept"}""");

        await _ecr.FailsAsync("UpdateRepositoryCreationTemplate", """{"prefix":"p","description":"lost","repositoryPolicy":"{}"}""", "InvalidParameterException");
        await _ecr.FailsAsync("UpdateRepositoryCreationTemplate", """{"prefix":"p","appliedFor":[]}""", "ValidationException");

        var stored = (await _ecr.OkAsync("DescribeRepositoryCreationTemplates")).GetProperty("repositoryCreationTemplates")[0];
        Assert.Equal("kept", stored.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Describe_pages_in_prefix_order_and_refuses_a_foreign_token()
    {
        foreach (var prefix in new[] { "c", "a", "ROOT", "b/x" })
        {
            await _ecr.OkAsync("CreateRepositoryCreationTemplate", $$"""{"prefix":"{{prefix}}","appliedFor":["CREATE_ON_PUSH"]}""");
        }

        var first = await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"maxResults":3}""");
        var second = await _ecr.OkAsync("DescribeRepositoryCreationTemplates", JsonSerializer.Serialize(new { maxResults = 3, nextToken = first.GetProperty("nextToken").GetString() }));
        var some = await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"prefixes":["c","zzz","a/"]}""");

        Assert.Equal(["ROOT", "a", "b/x"], Prefixes(first));
        Assert.Equal(["c"], Prefixes(second));
        Assert.False(second.TryGetProperty("nextToken", out _));
        Assert.Equal(["a", "c"], Prefixes(some));

        await _ecr.OkAsync("CreateRepository", """{"repositoryName":"r1"}""");
        await _ecr.OkAsync("CreateRepository", """{"repositoryName":"r2"}""");
        var foreign = (await _ecr.OkAsync("DescribeRepositories", """{"maxResults":1}""")).GetProperty("nextToken").GetString();
        await _ecr.FailsAsync("DescribeRepositoryCreationTemplates", JsonSerializer.Serialize(new { nextToken = foreign }), "InvalidParameterException");
        await _ecr.FailsAsync("DescribeRepositoryCreationTemplates", """{"maxResults":1001}""", "InvalidParameterException");
    }

    [Fact]
    public async Task A_registry_takes_at_most_300_templates()
    {
        for (var i = 0; i < 300; i++)
        {
            await _ecr.OkAsync("CreateRepositoryCreationTemplate", $$"""{"prefix":"t{{i:D3}}","appliedFor":["CREATE_ON_PUSH"]}""");
        }

        await _ecr.FailsAsync("CreateRepositoryCreationTemplate", """{"prefix":"one-more","appliedFor":["CREATE_ON_PUSH"]}""", "LimitExceededException");
        Assert.Equal(300, (await _ecr.OkAsync("DescribeRepositoryCreationTemplates", """{"maxResults":1000}""")).GetProperty("repositoryCreationTemplates").GetArrayLength());
    }

    private static List<string?> Prefixes(JsonElement answer) =>
        [.. answer.GetProperty("repositoryCreationTemplates").EnumerateArray().Select(t => t.GetProperty("prefix").GetString())];

    private static void AssertFull(JsonElement template, string prefix)
    {
        Assert.Equal(prefix, template.GetProperty("prefix").GetString());
        Assert.Equal("team prod", template.GetProperty("description").GetString());
        Assert.Equal("KMS", template.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab", template.GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString());
        Assert.Equal(
            [("team", "prod"), ("cost", "")],
            template.GetProperty("resourceTags").EnumerateArray().Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())));
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", template.GetProperty("imageTagMutability").GetString());
        var filter = Assert.Single(template.GetProperty("imageTagMutabilityExclusionFilters").EnumerateArray());
        Assert.Equal(("WILDCARD", "latest"), (filter.GetProperty("filterType").GetString(), filter.GetProperty("filter").GetString()));
        Assert.Equal(Policy, template.GetProperty("repositoryPolicy").GetString());
        Assert.Equal(Lifecycle, template.GetProperty("lifecyclePolicy").GetString());
        Assert.Equal(["REPLICATION", "CREATE_ON_PUSH"], template.GetProperty("appliedFor").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("arn:aws:iam::123456789012:role/ecr-templates", template.GetProperty("customRoleArn").GetString());
    }
}
