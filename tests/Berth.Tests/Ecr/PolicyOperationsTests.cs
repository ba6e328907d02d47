using System.Net;
using System.Text.Json;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Ecr;

/// <summary>
/// Repository and registry policies and account settings over the wire: validation and ECR's messages, verbatim text,
/// <c>force</c>, scope V1, and enforcement across accounts on both protocols, with /v2/ addressing another account's
/// registry through the Host (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.…</c>).
/// </summary>
public sealed class PolicyOperationsTests : IAsyncLifetime
{
    private const string A = "123456789012";
    private const string B = "210987654321";
    private const string Repo = "app";

    private static readonly string PullForB = $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{B}}:root"},
          "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}]}
        """;

    private BerthHost _host = null!;
    private SigV4Credentials _rootA = null!;
    private SigV4Credentials _rootB = null!;

    private EcrClient EcrA => _host.Ecr().WithCredentials(_rootA);

    private EcrClient EcrB => _host.Ecr().WithCredentials(_rootB);

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(
            AuthMode.SigV4,
            settings: new Dictionary<string, string?> { ["Berth:PublicUrl"] = "http://{account}.dkr.ecr.{region}.registry.test:5000" });
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        _rootA = await KeyAsync(store, "AKIAPOLICYOPSROOTA01", A);
        _rootB = await KeyAsync(store, "AKIAPOLICYOPSROOTB01", B);
        await EcrA.OkAsync("CreateRepository", $$"""{"repositoryName":"{{Repo}}"}""");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_repository_policy_comes_back_exactly_as_sent_and_delete_returns_it_once()
    {
        var text = "{ \"Version\":\"2008-10-17\" ,\n  \"Statement\" : {\"Sid\":\"ünïcode\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:ListImages\"}}\n";

        var set = await EcrA.OkAsync("SetRepositoryPolicy", SetBody(text));
        var got = await EcrA.OkAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""");
        var deleted = await EcrA.OkAsync("DeleteRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""");

        foreach (var answer in new[] { set, got, deleted })
        {
            Assert.Equal(text, answer.GetProperty("policyText").GetString());
            Assert.Equal(A, answer.GetProperty("registryId").GetString());
            Assert.Equal(Repo, answer.GetProperty("repositoryName").GetString());
        }

        var missing = $"Repository policy does not exist for the repository with name '{Repo}' in the registry with id '{A}'";
        Assert.Equal(missing, await EcrA.FailsAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""", "RepositoryPolicyNotFoundException"));
        Assert.Equal(missing, await EcrA.FailsAsync("DeleteRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""", "RepositoryPolicyNotFoundException"));
        await EcrA.FailsAsync("GetRepositoryPolicy", """{"repositoryName":"ghost"}""", "RepositoryNotFoundException");
        await EcrA.FailsAsync("SetRepositoryPolicy", SetBody(text, "ghost"), "RepositoryNotFoundException");
    }

    [Theory]
    [InlineData("not json", "the policy is not valid JSON")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*"}]}""", "Principal or NotPrincipal is required")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Condition":{"StringEquals":{"aws:Nope":"x"}}}]}""", "condition key 'aws:Nope' is not supported")]
    [InlineData("", "the policy is not valid JSON")]
    public async Task An_invalid_repository_policy_is_refused_with_ECRs_message_and_the_reason(string text, string reason)
    {
        var message = await EcrA.FailsAsync("SetRepositoryPolicy", SetBody(text), "InvalidParameterException");

        Assert.StartsWith("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        await EcrA.FailsAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""", "RepositoryPolicyNotFoundException");
    }

    [Fact]
    public async Task A_policy_of_10240_characters_is_kept_whole_and_one_more_is_refused()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}]}""";
        var longest = policy + new string(' ', 10_240 - policy.Length);

        Assert.Equal(longest, (await EcrA.OkAsync("SetRepositoryPolicy", SetBody(longest))).GetProperty("policyText").GetString());
        Assert.Equal(longest, (await EcrA.OkAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(longest)}}}""")).GetProperty("policyText").GetString());
        await EcrA.FailsAsync("SetRepositoryPolicy", SetBody(longest + " "), "InvalidParameterException");
        await EcrA.FailsAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(longest + " ")}}}""", "InvalidParameterException");
        Assert.Equal(longest, (await EcrA.OkAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""")).GetProperty("policyText").GetString());
    }

    [Fact]
    public async Task A_policy_that_would_lock_its_author_out_needs_force_and_the_root_can_always_repair_it()
    {
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        var admin = await KeyAsync(store, "AKIAPOLICYOPSADMIN01", A, "admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");
        var lockOut = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:SetRepositoryPolicy"}]}""";
        var ecr = _host.Ecr().WithCredentials(admin);

        var refused = await ecr.FailsAsync("SetRepositoryPolicy", SetBody(lockOut), "InvalidParameterException");
        Assert.Contains("set force to true", refused, StringComparison.Ordinal);
        await ecr.FailsAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""", "RepositoryPolicyNotFoundException");

        await ecr.OkAsync("SetRepositoryPolicy", SetBody(lockOut, force: true));
        await ecr.FailsAsync("SetRepositoryPolicy", SetBody(PullForB), "AccessDeniedException");

        // The account's root is not locked out: it replaces the policy without force.
        await EcrA.OkAsync("SetRepositoryPolicy", SetBody(lockOut));
        await EcrA.OkAsync("DeleteRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""");
        await ecr.OkAsync("SetRepositoryPolicy", SetBody(PullForB));
    }

    [Fact]
    public async Task The_lock_out_check_sees_the_repository_tags_the_authorizer_sees()
    {
        // A user allowed everything on repositories tagged team=a sets a harmless policy on one: it is not locked out,
        // since its next SetRepositoryPolicy on that repository (tags and all) is allowed as this one was.
        await EcrA.OkAsync("CreateRepository", """{"repositoryName":"tagged","tags":[{"Key":"team","Value":"a"}]}""");
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        var teamA = await KeyAsync(store, "AKIAPOLICYOPSTEAMA01", A, "team-a",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}""");
        var ecr = _host.Ecr().WithCredentials(teamA);

        await ecr.OkAsync("SetRepositoryPolicy", SetBody(PullForB, repository: "tagged"));

        // And one that would deny it the next time is still refused without force.
        var lockOut = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:SetRepositoryPolicy","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}""";
        await ecr.FailsAsync("SetRepositoryPolicy", SetBody(lockOut, repository: "tagged"), "InvalidParameterException");
    }

    [Fact]
    public async Task Registry_policies_and_account_settings_follow_the_scope()
    {
        Assert.Equal("V2", (await EcrA.OkAsync("GetAccountSetting", """{"name":"REGISTRY_POLICY_SCOPE"}""")).GetProperty("value").GetString());
        Assert.Equal("ENABLED", (await EcrA.OkAsync("GetAccountSetting", """{"name":"BLOB_MOUNTING"}""")).GetProperty("value").GetString());
        Assert.Equal("AWS_NATIVE", (await EcrA.OkAsync("GetAccountSetting", """{"name":"BASIC_SCAN_TYPE_VERSION"}""")).GetProperty("value").GetString());
        await EcrA.FailsAsync("GetAccountSetting", """{"name":"NOPE"}""", "InvalidParameterException");
        await EcrA.FailsAsync("PutAccountSetting", """{"name":"REGISTRY_POLICY_SCOPE","value":"V3"}""", "InvalidParameterException");
        var missing = $"Registry policy does not exist in the registry with id '{A}'";
        Assert.Equal(missing, await EcrA.FailsAsync("GetRegistryPolicy", "{}", "RegistryPolicyNotFoundException"));
        Assert.Equal(missing, await EcrA.FailsAsync("DeleteRegistryPolicy", "{}", "RegistryPolicyNotFoundException"));

        var put = await EcrA.OkAsync("PutAccountSetting", """{"name":"REGISTRY_POLICY_SCOPE","value":"V1"}""");
        Assert.Equal("V1", put.GetProperty("value").GetString());
        var pull = RegistryPolicy("ecr:BatchGetImage");
        var refused = await EcrA.FailsAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(pull)}}}""", "InvalidParameterException");
        Assert.StartsWith("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided: with registry policy scope V1", refused, StringComparison.Ordinal);
        var replicate = RegistryPolicy("ecr:ReplicateImage");
        Assert.Equal(replicate, (await EcrA.OkAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(replicate)}}}""")).GetProperty("policyText").GetString());

        await EcrA.OkAsync("PutAccountSetting", """{"name":"REGISTRY_POLICY_SCOPE","value":"V2"}""");
        var stored = await EcrA.OkAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(pull)}}}""");
        Assert.Equal((A, pull), (stored.GetProperty("registryId").GetString(), stored.GetProperty("policyText").GetString()));
        Assert.Equal(pull, (await EcrA.OkAsync("GetRegistryPolicy")).GetProperty("policyText").GetString());
        Assert.Equal(pull, (await EcrA.OkAsync("DeleteRegistryPolicy")).GetProperty("policyText").GetString());
        await EcrA.FailsAsync("GetRegistryPolicy", "{}", "RegistryPolicyNotFoundException");
    }

    [Fact]
    public async Task A_repository_policy_lets_another_account_pull_on_both_protocols_but_not_push_until_it_is_deleted()
    {
        var image = await new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(EcrA)).PushImageAsync(Repo, "v1", "cross");
        var batchGet = $$"""{"registryId":"{{A}}","repositoryName":"{{Repo}}","imageIds":[{"imageTag":"v1"}]}""";
        var ociB = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(EcrB));
        var manifest = $"http://{A}.dkr.ecr.us-east-1.registry.test:5000/v2/{Repo}/manifests/v1";

        var denied = await EcrB.FailsAsync("BatchGetImage", batchGet, "AccessDeniedException");
        Assert.Equal($"User: arn:aws:iam::{B}:root is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:{A}:repository/{Repo} because no resource-based policy allows the ecr:BatchGetImage action", denied);
        await StatusAsync(ociB.GetAsync(manifest, ("Accept", TestManifests.OciManifest)), HttpStatusCode.Forbidden);

        await EcrA.OkAsync("SetRepositoryPolicy", SetBody(PullForB));

        Assert.Equal(image.Digest.ToString(), (await EcrB.OkAsync("BatchGetImage", batchGet)).GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        await StatusAsync(ociB.GetAsync(manifest, ("Accept", TestManifests.OciManifest)), HttpStatusCode.OK);
        await EcrB.FailsAsync("InitiateLayerUpload", $$"""{"registryId":"{{A}}","repositoryName":"{{Repo}}"}""", "AccessDeniedException");
        await StatusAsync(ociB.PostAsync($"http://{A}.dkr.ecr.us-east-1.registry.test:5000/v2/{Repo}/blobs/uploads/"), HttpStatusCode.Forbidden);
        await EcrB.FailsAsync("DescribeRepositories", $$"""{"registryId":"{{A}}"}""", "AccessDeniedException");

        // Without a matching Host, B's token addresses B's own registry, where there is no such repository.
        await StatusAsync(ociB.GetAsync($"/v2/{Repo}/manifests/v1", ("Accept", TestManifests.OciManifest)), HttpStatusCode.NotFound);

        await EcrA.OkAsync("DeleteRepositoryPolicy", $$"""{"repositoryName":"{{Repo}}"}""");
        await EcrB.FailsAsync("BatchGetImage", batchGet, "AccessDeniedException");
        await StatusAsync(ociB.GetAsync(manifest, ("Accept", TestManifests.OciManifest)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_registry_policy_grants_another_account_listing_and_pulls_in_every_repository()
    {
        await new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(EcrA)).PushImageAsync(Repo, "v1", "registry");
        var catalog = $"http://{A}.dkr.ecr.us-east-1.registry.test:5000/v2/_catalog";
        var ociB = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(EcrB));
        await EcrB.FailsAsync("DescribeRepositories", $$"""{"registryId":"{{A}}"}""", "AccessDeniedException");

        var policy = RegistryPolicy("ecr:DescribeRepositories\",\"ecr:BatchGetImage", $"arn:aws:ecr:us-east-1:{A}:repository/*");
        await EcrA.OkAsync("PutRegistryPolicy", $$"""{"policyText":{{Str(policy)}}}""");

        var listed = await EcrB.OkAsync("DescribeRepositories", $$"""{"registryId":"{{A}}"}""");
        Assert.Equal(Repo, listed.GetProperty("repositories")[0].GetProperty("repositoryName").GetString());
        await StatusAsync(ociB.GetAsync(catalog), HttpStatusCode.OK);
        await StatusAsync(ociB.GetAsync($"http://{A}.dkr.ecr.us-east-1.registry.test:5000/v2/{Repo}/manifests/v1", ("Accept", TestManifests.OciManifest)), HttpStatusCode.OK);
        await EcrB.FailsAsync("ListImages", $$"""{"registryId":"{{A}}","repositoryName":"{{Repo}}"}""", "AccessDeniedException");

        // Under scope V1 the same stored policy no longer governs pulls.
        await EcrA.OkAsync("PutAccountSetting", """{"name":"REGISTRY_POLICY_SCOPE","value":"V1"}""");
        await EcrB.FailsAsync("DescribeRepositories", $$"""{"registryId":"{{A}}"}""", "AccessDeniedException");
    }

    [Fact]
    public async Task A_policy_written_by_another_process_is_enforced_within_a_second_and_its_removal_too()
    {
        // Written straight into the store, as `berth` in another process would: this process learns of it by re-reading.
        var store = _host.Services.GetRequiredService<IMetadataStore>();
        var repository = new RepositoryKey(A, "us-east-1", Repo);
        var listImages = $$"""{"registryId":"{{A}}","repositoryName":"{{Repo}}"}""";
        await EcrB.FailsAsync("ListImages", listImages, "AccessDeniedException");

        var grant = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{B}}"},"Action":"ecr:ListImages"}]}""";
        Assert.True(await store.Policies.SetRepositoryPolicyAsync(repository, grant, CancellationToken.None));
        var granted = DateTime.UtcNow;
        await EventuallyAsync(async () => (await EcrB.CallAsync("ListImages", listImages)).Status == HttpStatusCode.OK);
        Assert.True(DateTime.UtcNow - granted < TimeSpan.FromSeconds(2.5), "the grant took more than the cache's second to show");

        Assert.NotNull(await store.Policies.DeleteRepositoryPolicyAsync(repository, CancellationToken.None));
        var revoked = DateTime.UtcNow;
        await EventuallyAsync(async () => (await EcrB.CallAsync("ListImages", listImages)).Status != HttpStatusCode.OK);
        Assert.True(DateTime.UtcNow - revoked < TimeSpan.FromSeconds(2.5), "the revocation took more than the cache's second to show");
    }

    [Fact]
    public async Task With_blob_mounting_disabled_a_mount_request_opens_an_upload_session_instead()
    {
        var oci = new OciClient(_host.Client).WithAuthorization("Basic " + await TokenAsync(EcrA));
        await EcrA.OkAsync("CreateRepository", """{"repositoryName":"copy"}""");
        var blob = await oci.PushBlobAsync(Repo, "mounted layer");
        var mount = $"/v2/copy/blobs/uploads/?mount={blob.Digest}&from={Repo}";

        await EcrA.OkAsync("PutAccountSetting", """{"name":"BLOB_MOUNTING","value":"DISABLED"}""");
        await StatusAsync(oci.PostAsync(mount), HttpStatusCode.Accepted);

        await EcrA.OkAsync("PutAccountSetting", """{"name":"BLOB_MOUNTING","value":"ENABLED"}""");
        await StatusAsync(oci.PostAsync(mount), HttpStatusCode.Created);
    }

    private static string Str(string value) => "\"" + JsonEncodedText.Encode(value).Value + "\"";

    private static string SetBody(string text, string repository = Repo, bool force = false) =>
        $$"""{"repositoryName":"{{repository}}","policyText":{{Str(text)}}{{(force ? ",\"force\":true" : "")}}}""";

    private static string RegistryPolicy(string actions, string resource = "*") => $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{B}}"},"Action":["{{actions}}"],"Resource":"{{resource}}"}]}
        """;

    private static async Task StatusAsync(Task<HttpResponseMessage> sent, HttpStatusCode status)
    {
        using var response = await sent;
        await OciAssert.StatusAsync(response, status);
    }

    /// <summary>A key of the account's root, or of a new user with one identity policy.</summary>
    internal static async Task<SigV4Credentials> KeyAsync(IMetadataStore store, string keyId, string account, string? user = null, string? policy = null)
    {
        if (user is not null)
        {
            Assert.True(await store.Users.CreateAsync(User.Create(account, user, DateTimeOffset.UtcNow), CancellationToken.None));
            Assert.True(await store.Users.PutPolicyAsync(account, user, new UserPolicy("policy", policy!), CancellationToken.None));
        }

        var secret = keyId.ToLowerInvariant() + "-secret";
        Assert.True(await store.AccessKeys.AddAsync(new AccessKey(keyId, secret, account, DateTimeOffset.UtcNow) { UserName = user }, CancellationToken.None));
        return new SigV4Credentials(keyId, secret, account);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the change did not take effect within 5 s");
            await Task.Delay(100);
        }
    }

    internal static async Task<string> TokenAsync(EcrClient ecr) =>
        (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
}
