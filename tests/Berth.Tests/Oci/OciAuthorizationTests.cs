using System.Buffers.Text;
using System.Net;
using System.Text;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Oci;

/// <summary>/v2/ asks the authorizer once per request, as the caller's principal, for what the action table lists.</summary>
public sealed class OciAuthorizationTests
{
    private const string AccountA = "111111111111";

    [Fact]
    public async Task Open_mode_requests_act_as_the_configured_accounts_root()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));

        using var response = await new OciClient(host.Client).GetAsync("/v2/_catalog");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var call = Assert.Single(authorizer.Calls);
        Assert.Equal((Principal.Root("123456789012", "aws"), "ecr:DescribeRepositories", "arn:aws:ecr:us-east-1:123456789012:repository/*"), (call.Principal, call.Action, call.Resource.Arn));
    }

    [Fact]
    public async Task The_principal_of_GetAuthorizationToken_reaches_v2_through_the_token()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4, configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey("AKIAPRINCIPALTOKEN01", "principal-secret", AccountA, DateTimeOffset.UtcNow), CancellationToken.None);
        var ecr = host.Ecr().WithCredentials(new SigV4Credentials("AKIAPRINCIPALTOKEN01", "principal-secret", AccountA));
        await OciFixture.CreateRepositoryAsync(ecr, "carried");
        var token = (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        authorizer.Clear();

        using var response = await new OciClient(host.Client).WithAuthorization("Basic " + token).GetAsync("/v2/carried/tags/list");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var call = Assert.Single(authorizer.Calls);
        Assert.Equal(new Principal(AccountA, $"arn:aws:iam::{AccountA}:root", PrincipalKind.Root), call.Principal);
        Assert.Equal(("ecr:ListImages", $"arn:aws:ecr:us-east-1:{AccountA}:repository/carried"), (call.Action, call.Resource.Arn));

        // The password itself names the principal's ARN, not the access key it was asked with.
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(token))["AWS:".Length..];
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(password.Split('.')[1]));
        Assert.Equal($"arn:aws:iam::{AccountA}:root", payload.Split('\n')[2]);
    }

    [Fact]
    public async Task A_mount_needs_read_on_its_source_and_is_refused_without_it()
    {
        var authorizer = new RecordingAuthorizer((_, action, resource) =>
            action == "ecr:GetDownloadUrlForLayer" && resource.RepositoryName == "secret-source" ? AuthorizationDecision.Denied : AuthorizationDecision.Allowed);
        await using var host = await BerthHost.StartAsync(configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        var ecr = host.Ecr();
        foreach (var name in new[] { "secret-source", "open-source", "target" })
        {
            await OciFixture.CreateRepositoryAsync(ecr, name);
        }

        var oci = new OciClient(host.Client);
        var secret = await oci.PushBlobAsync("secret-source", "guarded layer");
        var open = await oci.PushBlobAsync("open-source", "shared layer");
        authorizer.Clear();

        using var refused = await oci.PostAsync($"/v2/target/blobs/uploads/?mount={secret.Digest}&from=secret-source");
        var message = await OciAssert.ErrorAsync(refused, HttpStatusCode.Forbidden, "DENIED");
        Assert.Equal("User: arn:aws:iam::123456789012:root is not authorized to perform: ecr:GetDownloadUrlForLayer on resource: arn:aws:ecr:us-east-1:123456789012:repository/secret-source", message);
        using var notMounted = await oci.HeadAsync($"/v2/target/blobs/{secret.Digest}");
        await OciAssert.StatusAsync(notMounted, HttpStatusCode.NotFound);

        using var mounted = await oci.PostAsync($"/v2/target/blobs/uploads/?mount={open.Digest}&from=open-source");
        await OciAssert.StatusAsync(mounted, HttpStatusCode.Created);
        Assert.Contains(authorizer.Calls, c => c.Action == "ecr:GetDownloadUrlForLayer" && c.Resource.RepositoryName == "open-source");
    }

    [Fact]
    public async Task A_signed_download_URL_is_authorized_as_its_signer()
    {
        var authorizer = new RecordingAuthorizer();
        await using var host = await BerthHost.StartAsync(AuthMode.SigV4, configureServices: s => s.AddSingleton<IAuthorizer>(authorizer));
        await host.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
            new AccessKey("AKIAPRINCIPALSIGNED1", "signed-secret", AccountA, DateTimeOffset.UtcNow), CancellationToken.None);
        var ecr = host.Ecr().WithCredentials(new SigV4Credentials("AKIAPRINCIPALSIGNED1", "signed-secret", AccountA));
        await OciFixture.CreateRepositoryAsync(ecr, "signed");
        var token = (await ecr.OkAsync("GetAuthorizationToken")).GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        await new OciClient(host.Client).WithAuthorization("Basic " + token).PushImageAsync("signed", "v1", "signed url");
        var layer = await DownloadableLayerAsync(ecr, "signed");
        var url = (await ecr.OkAsync("GetDownloadUrlForLayer", $$"""{"repositoryName":"signed","layerDigest":"{{layer}}"}""")).GetProperty("downloadUrl").GetString()!;
        authorizer.Clear();

        using var response = await new OciClient(host.Client).GetAsync(new Uri(url).PathAndQuery);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var call = Assert.Single(authorizer.Calls);
        Assert.Equal((Principal.Root(AccountA, "aws"), "ecr:GetDownloadUrlForLayer"), (call.Principal, call.Action));
    }

    private static async Task<string> DownloadableLayerAsync(EcrClient ecr, string repository)
    {
        var images = await ecr.OkAsync("BatchGetImage", $$"""{"repositoryName":"{{repository}}","imageIds":[{"imageTag":"v1"}]}""");
        var manifest = System.Text.Json.JsonDocument.Parse(images.GetProperty("images")[0].GetProperty("imageManifest").GetString()!);
        return manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
    }
}
