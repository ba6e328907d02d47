using System.Net;
using System.Text.Json;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Ecr;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Tests.Ecr.PolicyOperationsTests;

namespace Berth.Tests.Domain.Templates;

/// <summary>
/// Create-on-push through both protocols: a push that starts into a missing repository creates it from the most
/// specific CREATE_ON_PUSH template when the caller may CreateRepository, and otherwise fails as it always did.
/// </summary>
public sealed class CreateOnPushTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string EmptyIndex = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""";

    private BerthHost _host = null!;
    private EcrClient _ecr = null!;
    private OciClient _oci = null!;

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.None);
        _ecr = _host.Ecr();
        _oci = new OciClient(_host.Client);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_push_under_a_template_prefix_creates_the_repository_with_every_setting_of_the_template()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", TemplateOperationsTests.Full("prod"));

        await _oci.PushImageAsync("prod/app", "v1", "created on push");

        var repository = (await _ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["prod/app"]}""")).GetProperty("repositories")[0];
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", repository.GetProperty("imageTagMutability").GetString());
        Assert.Equal("latest", repository.GetProperty("imageTagMutabilityExclusionFilters")[0].GetProperty("filter").GetString());
        Assert.Equal("KMS", repository.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab", repository.GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString());
        Assert.False(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        var tags = (await _ecr.OkAsync("ListTagsForResource", """{"resourceArn":"arn:aws:ecr:us-east-1:123456789012:repository/prod/app"}""")).GetProperty("tags");
        Assert.Equal([("cost", ""), ("team", "prod")], tags.EnumerateArray().Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())));
        Assert.Equal(TemplateOperationsTests.Policy, (await _ecr.OkAsync("GetRepositoryPolicy", """{"repositoryName":"prod/app"}""")).GetProperty("policyText").GetString());
        Assert.Equal(TemplateOperationsTests.Lifecycle, (await _ecr.OkAsync("GetLifecyclePolicy", """{"repositoryName":"prod/app"}""")).GetProperty("lifecyclePolicyText").GetString());
        Assert.Single((await _ecr.OkAsync("ListImages", """{"repositoryName":"prod/app"}""")).GetProperty("imageIds").EnumerateArray());
    }

    [Fact]
    public async Task Without_a_matching_create_on_push_template_a_push_fails_as_before_and_creates_nothing()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"mirror","appliedFor":["REPLICATION","PULL_THROUGH_CACHE"]}""");

        foreach (var name in new[] { "mirror/app", "other/app" })
        {
            using (var start = await _oci.PostAsync($"/v2/{name}/blobs/uploads/"))
            {
                await OciAssert.ErrorAsync(start, HttpStatusCode.NotFound, "NAME_UNKNOWN");
            }

            using (var manifest = await _oci.PutManifestAsync(name, "v1", EmptyIndex, TestManifests.OciIndex))
            {
                await OciAssert.ErrorAsync(manifest, HttpStatusCode.NotFound, "NAME_UNKNOWN");
            }

            await _ecr.FailsAsync("InitiateLayerUpload", $$"""{"repositoryName":"{{name}}"}""", "RepositoryNotFoundException");
            await _ecr.FailsAsync("PutImage", JsonSerializer.Serialize(new { repositoryName = name, imageManifest = EmptyIndex, imageTag = "v1" }), "RepositoryNotFoundException");
        }

        Assert.Equal(0, (await _ecr.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());
    }

    [Fact]
    public async Task The_longest_matching_prefix_wins_and_ROOT_takes_every_other_name()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"ROOT","appliedFor":["CREATE_ON_PUSH"],"imageTagMutability":"MUTABLE"}""");
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"aa","appliedFor":["CREATE_ON_PUSH"],"imageTagMutability":"IMMUTABLE"}""");
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"aa/bb/","appliedFor":["CREATE_ON_PUSH"],"imageTagMutability":"MUTABLE_WITH_EXCLUSION","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"rel-*"}]}""");
        // A more specific template that does not serve pushes is passed over.
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"aa/bb/cc","appliedFor":["REPLICATION"],"imageTagMutability":"IMMUTABLE"}""");

        foreach (var name in new[] { "aa/bb/cc/dd", "aa/bb/xx", "aa/xx", "aa", "aab/xx", "zz" })
        {
            await _oci.PushImageAsync(name, "v1", name);
        }

        Assert.Equal("MUTABLE_WITH_EXCLUSION", await MutabilityAsync("aa/bb/cc/dd"));
        Assert.Equal("MUTABLE_WITH_EXCLUSION", await MutabilityAsync("aa/bb/xx"));
        Assert.Equal("IMMUTABLE", await MutabilityAsync("aa/xx"));
        Assert.Equal("MUTABLE", await MutabilityAsync("aa"));
        Assert.Equal("MUTABLE", await MutabilityAsync("aab/xx"));
        Assert.Equal("MUTABLE", await MutabilityAsync("zz"));
    }

    [Fact]
    public async Task A_KMS_template_without_a_key_gives_the_registry_its_AWS_managed_key()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"enc","appliedFor":["CREATE_ON_PUSH"],"encryptionConfiguration":{"encryptionType":"KMS"}}""");
        await _ecr.OkAsync("CreateRepository", """{"repositoryName":"by-hand","encryptionConfiguration":{"encryptionType":"KMS"}}""");

        await _oci.PushImageAsync("enc/app", "v1", "kms");

        var repositories = (await _ecr.OkAsync("DescribeRepositories", """{"repositoryNames":["enc/app","by-hand"]}""")).GetProperty("repositories");
        var onPush = repositories[0].GetProperty("encryptionConfiguration");
        Assert.Equal("KMS", onPush.GetProperty("encryptionType").GetString());
        Assert.StartsWith($"arn:aws:kms:us-east-1:{Account}:key/", onPush.GetProperty("kmsKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(repositories[1].GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString(), onPush.GetProperty("kmsKey").GetString());
    }

    [Fact]
    public async Task Every_push_start_creates_the_repository_chunked_mounted_manifest_InitiateLayerUpload_and_PutImage()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"p","appliedFor":["CREATE_ON_PUSH"]}""");
        var source = await _oci.PushBlobAsync("p/source", "mounted layer");

        var location = await _oci.StartUploadAsync("p/chunked");
        using (var mounted = await _oci.PostAsync($"/v2/p/mounted/blobs/uploads/?mount={source.Digest}&from=p/source"))
        {
            await OciAssert.StatusAsync(mounted, HttpStatusCode.Created);
        }

        using (var manifest = await _oci.PutManifestAsync("p/index", "v1", EmptyIndex, TestManifests.OciIndex))
        {
            await OciAssert.StatusAsync(manifest, HttpStatusCode.Created);
        }

        await _ecr.OkAsync("InitiateLayerUpload", """{"repositoryName":"p/initiated"}""");
        await _ecr.OkAsync("PutImage", JsonSerializer.Serialize(new { repositoryName = "p/put", imageManifest = EmptyIndex, imageTag = "v1" }));

        Assert.StartsWith("/v2/p/chunked/blobs/uploads/", location, StringComparison.Ordinal);
        var names = (await _ecr.OkAsync("DescribeRepositories")).GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("repositoryName").GetString());
        Assert.Equal(["p/chunked", "p/index", "p/initiated", "p/mounted", "p/put", "p/source"], names);
        await _ecr.OkAsync("BatchCheckLayerAvailability", $$"""{"repositoryName":"p/mounted","layerDigests":["{{source.Digest}}"]}""");
    }

    [Fact]
    public async Task Concurrent_first_pushes_of_one_new_name_all_succeed_on_one_repository()
    {
        await _ecr.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"race","appliedFor":["CREATE_ON_PUSH"],"resourceTags":[{"Key":"t","Value":"v"}]}""");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _oci.PushImageAsync("race/app", $"v{i}", $"pusher {i}")));

        var repositories = (await _ecr.OkAsync("DescribeRepositories")).GetProperty("repositories");
        Assert.Equal("race/app", Assert.Single(repositories.EnumerateArray()).GetProperty("repositoryName").GetString());
        Assert.Equal(8, (await _ecr.OkAsync("ListImages", """{"repositoryName":"race/app"}""")).GetProperty("imageIds").GetArrayLength());
    }

    [Fact]
    public async Task Only_a_caller_allowed_to_CreateRepository_creates_on_push()
    {
        const string PushOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage","ecr:BatchCheckLayerAvailability"],"Resource":"*"}]}""";
        const string PushAndCreate = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage","ecr:BatchCheckLayerAvailability","ecr:CreateRepository"],"Resource":"*"}]}""";
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var store = host.Services.GetRequiredService<IMetadataStore>();
        var root = host.Ecr().WithCredentials(await KeyAsync(store, "AKIATEMPLATEROOT0001", Account));
        var pusher = host.Ecr().WithCredentials(await KeyAsync(store, "AKIATEMPLATEPUSH0001", Account, "pusher", PushOnly));
        var creator = host.Ecr().WithCredentials(await KeyAsync(store, "AKIATEMPLATECREA0001", Account, "creator", PushAndCreate));
        await root.OkAsync("CreateRepositoryCreationTemplate", """{"prefix":"team","appliedFor":["CREATE_ON_PUSH"]}""");

        var pusherOci = new OciClient(host.Client).WithAuthorization("Basic " + await TokenAsync(pusher));
        using (var refused = await pusherOci.PostAsync("/v2/team/app/blobs/uploads/"))
        {
            await OciAssert.ErrorAsync(refused, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        }

        await pusher.FailsAsync("InitiateLayerUpload", """{"repositoryName":"team/app"}""", "RepositoryNotFoundException");
        Assert.Equal(0, (await root.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());

        var creatorOci = new OciClient(host.Client).WithAuthorization("Basic " + await TokenAsync(creator));
        await creatorOci.PushImageAsync("team/app", "v1", "allowed");
        await creator.OkAsync("InitiateLayerUpload", """{"repositoryName":"team/api"}""");
        Assert.Equal(2, (await root.OkAsync("DescribeRepositories")).GetProperty("repositories").GetArrayLength());
    }

    private async Task<string?> MutabilityAsync(string name) =>
        (await _ecr.OkAsync("DescribeRepositories", JsonSerializer.Serialize(new { repositoryNames = new[] { name } })))
            .GetProperty("repositories")[0].GetProperty("imageTagMutability").GetString();
}
