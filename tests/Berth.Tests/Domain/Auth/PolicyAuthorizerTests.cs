using System.Net;
using Berth.Domain;
using Berth.Hosting;
using Berth.Tests.Oci;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Auth;

/// <summary>
/// Identity policies decide what a user's key may do, on both protocols; the account root keeps every right in its
/// account; a policy change takes effect within the cache's second.
/// </summary>
public sealed class PolicyAuthorizerTests
{
    private const string Account = "123456789012";

    private const string DescribeOnly = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:Describe*","ecr:GetAuthorizationToken"],"Resource":"*"}]}
        """;

    private const string PullWebOnly = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:GetAuthorizationToken","ecr:ListImages"],"Resource":"*"},
          {"Effect":"Deny","Action":"ecr:*","Resource":"arn:aws:ecr:*:*:repository/secret"}]}
        """;

    [Fact]
    public async Task A_user_may_do_only_what_its_policies_allow_and_root_keeps_every_right()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var store = host.Services.GetRequiredService<IMetadataStore>();
        var root = await KeyAsync(store, "AKIAPOLICYROOT000001", null);
        var reader = await KeyAsync(store, "AKIAPOLICYREADER0001", "reader", ("describe", DescribeOnly));
        var nobody = await KeyAsync(store, "AKIAPOLICYNOBODY0001", "nobody");

        await host.Ecr().WithCredentials(root).OkAsync("CreateRepository", """{"repositoryName":"web"}""");
        await host.Ecr().WithCredentials(reader).OkAsync("DescribeRepositories");
        var refused = await host.Ecr().WithCredentials(reader).FailsAsync("CreateRepository", """{"repositoryName":"other"}""", "AccessDeniedException");
        Assert.Contains($"User: arn:aws:iam::{Account}:user/reader is not authorized to perform: ecr:CreateRepository", refused, StringComparison.Ordinal);
        await host.Ecr().WithCredentials(nobody).FailsAsync("DescribeRepositories", "{}", "AccessDeniedException");

        // Attaching a policy grants at once (well, within the cache's second).
        await store.Users.PutPolicyAsync(Account, "nobody", new("describe", DescribeOnly), CancellationToken.None);
        await EventuallyAsync(async () => (await host.Ecr().WithCredentials(nobody).CallAsync("DescribeRepositories")).Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task On_v2_a_pull_only_user_pulls_but_cannot_push_and_an_explicit_deny_wins()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var store = host.Services.GetRequiredService<IMetadataStore>();
        var root = await KeyAsync(store, "AKIAPOLICYROOT000002", null);
        var puller = await KeyAsync(store, "AKIAPOLICYPULLER0001", "puller", ("pull", PullWebOnly));
        var rootOci = new OciClient(host.Client).WithAuthorization("Basic " + await TokenAsync(host.Ecr().WithCredentials(root)));
        foreach (var name in new[] { "web", "secret" })
        {
            await OciFixture.CreateRepositoryAsync(host.Ecr().WithCredentials(root), name);
            await rootOci.PushImageAsync(name, "v1", name);
        }

        var oci = new OciClient(host.Client).WithAuthorization("Basic " + await TokenAsync(host.Ecr().WithCredentials(puller)));

        using (var pull = await oci.GetAsync("/v2/web/manifests/v1", ("Accept", TestManifests.OciManifest)))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        using (var push = await oci.PostAsync("/v2/web/blobs/uploads/"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        }

        using (var denied = await oci.GetAsync("/v2/secret/manifests/v1", ("Accept", TestManifests.OciManifest)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
    }

    [Fact]
    public async Task A_signed_download_URL_acts_as_its_signer_and_stops_with_its_policy_or_its_key()
    {
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4);
        var store = host.Services.GetRequiredService<IMetadataStore>();
        var root = await KeyAsync(store, "AKIAPOLICYROOT000003", null);
        var puller = await KeyAsync(store, "AKIAPOLICYPULLER0003", "puller", ("pull", PullWebOnly));
        await OciFixture.CreateRepositoryAsync(host.Ecr().WithCredentials(root), "web");
        await new OciClient(host.Client).WithAuthorization("Basic " + await TokenAsync(host.Ecr().WithCredentials(root))).PushImageAsync("web", "v1", "web");
        var images = await host.Ecr().WithCredentials(root).OkAsync("BatchGetImage", """{"repositoryName":"web","imageIds":[{"imageTag":"v1"}]}""");
        using var manifest = System.Text.Json.JsonDocument.Parse(images.GetProperty("images")[0].GetProperty("imageManifest").GetString()!);
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();
        var url = new Uri((await host.Ecr().WithCredentials(puller).OkAsync("GetDownloadUrlForLayer", $$"""{"repositoryName":"web","layerDigest":"{{layer}}"}"""))
            .GetProperty("downloadUrl").GetString()!).PathAndQuery;
        Assert.Contains($"X-Berth-Principal={Uri.EscapeDataString($"arn:aws:iam::{Account}:user/puller")}", url, StringComparison.Ordinal);
        var anonymous = new OciClient(host.Client);

        async Task<HttpStatusCode> DownloadAsync()
        {
            using var response = await anonymous.GetAsync(url);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await DownloadAsync());
        // Pretending to be the account's root instead breaks the signature.
        using (var forged = await anonymous.GetAsync(url.Replace(Uri.EscapeDataString("user/puller"), "root", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.True(await store.Users.DeletePolicyAsync(Account, "puller", "pull", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, await DownloadAsync());
        Assert.True(await store.Users.PutPolicyAsync(Account, "puller", new UserPolicy("pull", PullWebOnly), CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, await DownloadAsync());

        Assert.True(await store.AccessKeys.SetStatusAsync("AKIAPOLICYPULLER0003", AccessKeyStatus.Inactive, CancellationToken.None));
        await EventuallyAsync(async () => await DownloadAsync() == HttpStatusCode.Unauthorized);
    }

    private static async Task<SigV4Credentials> KeyAsync(IMetadataStore store, string keyId, string? user, params (string Name, string Document)[] policies)
    {
        if (user is not null)
        {
            Assert.True(await store.Users.CreateAsync(User.Create(Account, user, DateTimeOffset.UtcNow), CancellationToken.None));
            foreach (var (name, document) in policies)
            {
                Assert.True(await store.Users.PutPolicyAsync(Account, user, new UserPolicy(name, document), CancellationToken.None));
            }
        }

        var secret = keyId.ToLowerInvariant() + "-secret";
        Assert.True(await store.AccessKeys.AddAsync(new AccessKey(keyId, secret, Account, DateTimeOffset.UtcNow) { UserName = user }, CancellationToken.None));
        return new SigV4Credentials(keyId, secret, Account);
    }

    private static async Task<string> TokenAsync(EcrClient ecr) =>
        (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the change did not take effect within 5 s");
            await Task.Delay(100);
        }
    }
}
