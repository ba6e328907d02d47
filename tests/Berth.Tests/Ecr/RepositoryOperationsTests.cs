using System.Text.Json;
using Berth.Tests.Support;

namespace Berth.Tests.Ecr;

public sealed class RepositoryOperationsTests : IAsyncLifetime
{
    private BerthHost _host = null!;

    private EcrClient Ecr => _host.Ecr();

    public async Task InitializeAsync() => _host = await BerthHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateRepository_applies_ECR_defaults()
    {
        var repository = (await Ecr.OkAsync("CreateRepository", """{"repositoryName":"team/web-app"}""")).GetProperty("repository");

        Assert.Equal("arn:aws:ecr:us-east-1:123456789012:repository/team/web-app", repository.GetProperty("repositoryArn").GetString());
        Assert.Equal("123456789012", repository.GetProperty("registryId").GetString());
        Assert.Equal("team/web-app", repository.GetProperty("repositoryName").GetString());
        Assert.Equal("registry.test:5000/team/web-app", repository.GetProperty("repositoryUri").GetString());
        Assert.Equal("MUTABLE", repository.GetProperty("imageTagMutability").GetString());
        Assert.False(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("AES256", repository.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.False(repository.TryGetProperty("imageTagMutabilityExclusionFilters", out _));
    }

    [Fact]
    public async Task CreateRepository_keeps_every_requested_setting()
    {
        var repository = (await Ecr.OkAsync("CreateRepository", """
            {"repositoryName":"configured","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"latest"},{"filterType":"WILDCARD","filter":"dev-*"}],
             "imageScanningConfiguration":{"scanOnPush":true},
             "encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"arn:aws:kms:us-east-1:123456789012:key/k1"}}
            """)).GetProperty("repository");

        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", repository.GetProperty("imageTagMutability").GetString());
        var filters = repository.GetProperty("imageTagMutabilityExclusionFilters").EnumerateArray()
            .Select(f => f.GetProperty("filterType").GetString() + ":" + f.GetProperty("filter").GetString()).ToArray();
        Assert.Equal(["WILDCARD:latest", "WILDCARD:dev-*"], filters);
        Assert.True(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("KMS", repository.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/k1", repository.GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString());

        var described = (await Ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["configured"]}""")).GetProperty("repositories")[0];
        Assert.Equal(repository.GetRawText(), described.GetRawText());
    }

    [Fact]
    public async Task CreateRepository_twice_is_RepositoryAlreadyExistsException()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"twice"}""");
        var message = await Ecr.FailsAsync("CreateRepository", """{"repositoryName":"twice"}""", "RepositoryAlreadyExistsException");
        Assert.Equal("The repository with name 'twice' already exists in the registry with id '123456789012'", message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("MyRepo")]
    [InlineData("a/")]
    [InlineData("/a")]
    [InlineData("a..b")]
    [InlineData("_a")]
    [InlineData("a___b")]
    [InlineData("../../etc")]
    public async Task CreateRepository_rejects_invalid_names(string name)
    {
        var message = await Ecr.FailsAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""", "InvalidParameterException");
        Assert.StartsWith("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a__b")]
    [InlineData("a--b")]
    [InlineData("v1.2/x_y")]
    [InlineData("project-a/nginx-web-app")]
    public async Task CreateRepository_accepts_the_model_name_grammar(string name)
    {
        await Ecr.OkAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");
    }

    [Fact]
    public async Task CreateRepository_with_a_name_too_short_quotes_the_length_rule()
    {
        var message = await Ecr.FailsAsync("CreateRepository", """{"repositoryName":"a"}""", "InvalidParameterException");
        Assert.Equal("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'", message);
    }

    [Theory]
    [InlineData("""{"repositoryName":"ex1","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION"}""")]
    [InlineData("""{"repositoryName":"ex2","imageTagMutability":"MUTABLE","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"x"}]}""")]
    [InlineData("""{"repositoryName":"ex3","imageTagMutability":"SOMETIMES"}""")]
    [InlineData("""{"repositoryName":"ex4","imageTagMutability":"MUTABLE_WITH_EXCLUSION","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"bad/char"}]}""")]
    [InlineData("""{"repositoryName":"ex5","encryptionConfiguration":{"encryptionType":"AES256","kmsKey":"k"}}""")]
    [InlineData("""{"repositoryName":"ex6","encryptionConfiguration":{"encryptionType":"ROT13"}}""")]
    public async Task CreateRepository_rejects_inconsistent_settings(string body)
    {
        await Ecr.FailsAsync("CreateRepository", body, "InvalidParameterException");
        Assert.Equal(0, (await Ecr.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());
    }

    [Fact]
    public async Task CreateRepository_with_invalid_tags_creates_nothing()
    {
        await Ecr.FailsAsync("CreateRepository", """{"repositoryName":"tagged","tags":[{"Key":"aws:reserved","Value":"x"}]}""", "InvalidTagParameterException");
        await Ecr.FailsAsync("DescribeRepositories", """{"repositoryNames":["tagged"]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task DescribeRepositories_pages_with_nextToken_in_name_order()
    {
        foreach (var name in new[] { "p-c", "p-a", "p-e", "p-b", "p-d" })
        {
            await Ecr.OkAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = await Ecr.OkAsync("DescribeRepositories", token is null ? """{"maxResults":2}""" : $$"""{"maxResults":2,"nextToken":"{{token}}"}""");
            names.AddRange(body.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("repositoryName").GetString()!));
            token = body.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["p-a", "p-b", "p-c", "p-d", "p-e"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task DescribeRepositories_rejects_tampered_tokens_and_ids_with_paging()
    {
        await Ecr.FailsAsync("DescribeRepositories", """{"nextToken":"bm90LWEtdG9rZW4"}""", "InvalidParameterException");
        await Ecr.FailsAsync("DescribeRepositories", """{"repositoryNames":["x1"],"maxResults":5}""", "InvalidParameterException");
        await Ecr.FailsAsync("DescribeRepositories", """{"maxResults":0}""", "InvalidParameterException");
        await Ecr.FailsAsync("DescribeRepositories", """{"maxResults":1001}""", "InvalidParameterException");
    }

    [Fact]
    public async Task DescribeRepositories_with_one_unknown_name_fails_the_call()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"known"}""");
        await Ecr.FailsAsync("DescribeRepositories", """{"repositoryNames":["known","unknown"]}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task Repositories_are_scoped_by_account_and_region()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"scoped"}""");
        var otherAccount = _host.Ecr(accountId: "210987654321");
        var otherRegion = _host.Ecr(region: "eu-west-1");

        Assert.Equal(0, (await otherAccount.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());
        Assert.Equal(0, (await otherRegion.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());
        var inEurope = (await otherRegion.OkAsync("CreateRepository", """{"repositoryName":"scoped"}""")).GetProperty("repository");
        Assert.Equal("arn:aws:ecr:eu-west-1:123456789012:repository/scoped", inEurope.GetProperty("repositoryArn").GetString());
    }

    [Fact]
    public async Task Naming_another_registry_is_AccessDeniedException()
    {
        var message = await Ecr.FailsAsync("CreateRepository", """{"registryId":"210987654321","repositoryName":"theirs"}""", "AccessDeniedException");
        Assert.Contains("ecr:CreateRepository", message, StringComparison.Ordinal);
        await Ecr.OkAsync("CreateRepository", """{"registryId":"123456789012","repositoryName":"mine"}""");
    }

    [Fact]
    public async Task DeleteRepository_returns_the_repository_and_forgets_it()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"doomed","tags":[{"Key":"a","Value":"b"}]}""");

        var deleted = (await Ecr.OkAsync("DeleteRepository", """{"repositoryName":"doomed"}""")).GetProperty("repository");

        Assert.Equal("doomed", deleted.GetProperty("repositoryName").GetString());
        await Ecr.FailsAsync("DeleteRepository", """{"repositoryName":"doomed"}""", "RepositoryNotFoundException");
        await Ecr.FailsAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:us-east-1:123456789012:repository/doomed"}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task PutImageTagMutability_changes_mode_and_filters()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"mut"}""");

        var body = await Ecr.OkAsync("PutImageTagMutability", """
            {"repositoryName":"mut","imageTagMutability":"MUTABLE_WITH_EXCLUSION","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"release-*"}]}
            """);

        Assert.Equal("123456789012", body.GetProperty("registryId").GetString());
        Assert.Equal("mut", body.GetProperty("repositoryName").GetString());
        Assert.Equal("MUTABLE_WITH_EXCLUSION", body.GetProperty("imageTagMutability").GetString());
        Assert.Equal("release-*", body.GetProperty("imageTagMutabilityExclusionFilters")[0].GetProperty("filter").GetString());
        var repository = (await Ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["mut"]}""")).GetProperty("repositories")[0];
        Assert.Equal("MUTABLE_WITH_EXCLUSION", repository.GetProperty("imageTagMutability").GetString());

        await Ecr.FailsAsync("PutImageTagMutability", """{"repositoryName":"mut","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION"}""", "InvalidParameterException");
        await Ecr.FailsAsync("PutImageTagMutability", """{"repositoryName":"nope","imageTagMutability":"IMMUTABLE"}""", "RepositoryNotFoundException");
        await Ecr.FailsAsync("PutImageTagMutability", """{"repositoryName":"mut"}""", "InvalidParameterException");

        var back = await Ecr.OkAsync("PutImageTagMutability", """{"repositoryName":"mut","imageTagMutability":"IMMUTABLE"}""");
        Assert.False(back.TryGetProperty("imageTagMutabilityExclusionFilters", out _));
    }

    [Fact]
    public async Task PutImageScanningConfiguration_sets_scan_on_push()
    {
        await Ecr.OkAsync("CreateRepository", """{"repositoryName":"scan"}""");

        var body = await Ecr.OkAsync("PutImageScanningConfiguration", """{"repositoryName":"scan","imageScanningConfiguration":{"scanOnPush":true}}""");

        Assert.True(body.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("123456789012", body.GetProperty("registryId").GetString());
        var repository = (await Ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["scan"]}""")).GetProperty("repositories")[0];
        Assert.True(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        await Ecr.FailsAsync("PutImageScanningConfiguration", """{"repositoryName":"none-here","imageScanningConfiguration":{}}""", "RepositoryNotFoundException");
    }

    [Fact]
    public async Task DescribeRegistry_reports_the_callers_registry_with_no_replication()
    {
        var body = await Ecr.OkAsync("DescribeRegistry");
        Assert.Equal("123456789012", body.GetProperty("registryId").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("replicationConfiguration").GetProperty("rules").ValueKind);
        Assert.Equal(0, body.GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task Everything_survives_a_restart()
    {
        using var directory = new TempDirectory();
        await using (var first = await BerthHost.StartAsync(dataDir: directory.Path))
        {
            await first.Ecr().OkAsync("CreateRepository", """{"repositoryName":"persist","tags":[{"Key":"k","Value":"v"}],"imageTagMutability":"IMMUTABLE"}""");
        }

        await using var second = await BerthHost.StartAsync(dataDir: directory.Path);
        var repository = (await second.Ecr().OkAsync("DescribeRepositories", """{"repositoryNames":["persist"]}""")).GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE", repository.GetProperty("imageTagMutability").GetString());
        var tags = await second.Ecr().OkAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:us-east-1:123456789012:repository/persist"}""");
        Assert.Equal("""[{"Key":"k","Value":"v"}]""", tags.GetProperty("tags").GetRawText());
    }
}
