using System.Net;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Auth;

/// <summary>Keys that are disabled or deleted stop working on both protocols, /v2/ tokens they obtained included.</summary>
public sealed class AccessKeyRevocationTests : IAsyncLifetime
{
    private const string Account = "111111111111";
    private const string KeyId = "AKIAREVOCATIONTEST01";
    private const string Secret = "revocation-secret";

    private readonly FixedTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private BerthHost _host = null!;

    private IMetadataStore Store => _host.Services.GetRequiredService<IMetadataStore>();

    public async Task InitializeAsync()
    {
        _host = await BerthHost.StartAsync(AuthMode.SigV4, configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        await _host.Services.GetRequiredService<AccessKeyService>().AddAsync(new AccessKey(KeyId, Secret, Account, _clock.UtcNow), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private EcrClient Ecr => _host.Ecr().WithCredentials(new SigV4Credentials(KeyId, Secret, Account));

    private async Task<OciClient> RegistryClientAsync()
    {
        var data = await Ecr.OkAsync("GetAuthorizationToken");
        var token = data.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        return new OciClient(_host.Client).WithAuthorization("Basic " + token);
    }

    private async Task AssertWorksAsync(OciClient registry)
    {
        await Ecr.OkAsync("DescribeRepositories");
        using var response = await registry.GetAsync("/v2/");
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    private async Task AssertRefusedAsync(OciClient registry)
    {
        await Ecr.FailsAsync("DescribeRepositories", "{}", "UnrecognizedClientException");
        using var response = await registry.GetAsync("/v2/");
        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_disabled_key_and_its_registry_token_are_refused_until_it_is_enabled_again()
    {
        var registry = await RegistryClientAsync();
        await AssertWorksAsync(registry);

        Assert.True(await Store.AccessKeys.SetStatusAsync(KeyId, AccessKeyStatus.Inactive, CancellationToken.None));
        _clock.Advance(AccessKeyCache.MaxAge);
        await AssertRefusedAsync(registry);

        Assert.True(await Store.AccessKeys.SetStatusAsync(KeyId, AccessKeyStatus.Active, CancellationToken.None));
        _clock.Advance(AccessKeyCache.MaxAge);
        await AssertWorksAsync(registry);
    }

    [Fact]
    public async Task A_deleted_key_and_its_registry_token_are_refused()
    {
        var registry = await RegistryClientAsync();
        await AssertWorksAsync(registry);

        Assert.True(await Store.AccessKeys.DeleteAsync(KeyId, CancellationToken.None));
        _clock.Advance(AccessKeyCache.MaxAge);

        await AssertRefusedAsync(registry);
    }

    [Fact]
    public async Task A_users_key_acts_as_the_user_and_dies_with_the_user()
    {
        Assert.True(await Store.Users.CreateAsync(User.Create(Account, "ci", _clock.UtcNow), CancellationToken.None));
        Assert.True(await Store.Users.PutPolicyAsync(
            Account, "ci", new UserPolicy("all", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}"""), CancellationToken.None));
        var userKey = new AccessKey("AKIAREVOCATIONUSER01", "user-secret", Account, _clock.UtcNow) { UserName = "ci" };
        Assert.True(await _host.Services.GetRequiredService<AccessKeyService>().AddAsync(userKey, CancellationToken.None));
        var ecr = _host.Ecr().WithCredentials(new SigV4Credentials(userKey.AccessKeyId, "user-secret", Account));
        var data = await ecr.OkAsync("GetAuthorizationToken");
        var token = data.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        var password = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token))["AWS:".Length..];
        var issued = _host.Services.GetRequiredService<RegistryTokenService>().Validate(password)!;
        Assert.Equal("arn:aws:iam::111111111111:user/ci", issued.Principal.Arn);
        Assert.Equal(userKey.AccessKeyId, issued.AccessKeyId);

        Assert.True(await Store.Users.DeleteAsync(Account, "ci", CancellationToken.None));
        _clock.Advance(AccessKeyCache.MaxAge);

        await ecr.FailsAsync("DescribeRepositories", "{}", "UnrecognizedClientException");
        using var response = await new OciClient(_host.Client).WithAuthorization("Basic " + token).GetAsync("/v2/");
        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Secrets_are_sealed_at_rest_and_plain_ones_are_sealed_at_start()
    {
        Assert.True(SecretSealer.IsSealed((await Store.AccessKeys.FindAsync(KeyId, CancellationToken.None))!.SecretAccessKey));

        // A key stored in clear, as before migration 4.
        await Store.AccessKeys.AddAsync(new AccessKey("AKIAREVOCATIONPLAIN1", "plain-secret", Account, _clock.UtcNow), CancellationToken.None);
        Assert.Equal(1, await _host.Services.GetRequiredService<AccessKeyService>().SealPlaintextAsync(CancellationToken.None));

        var stored = (await Store.AccessKeys.FindAsync("AKIAREVOCATIONPLAIN1", CancellationToken.None))!.SecretAccessKey;
        Assert.True(SecretSealer.IsSealed(stored));
        Assert.DoesNotContain("plain-secret", stored, StringComparison.Ordinal);
        await _host.Ecr().WithCredentials(new SigV4Credentials("AKIAREVOCATIONPLAIN1", "plain-secret", Account)).OkAsync("DescribeRepositories");
        Assert.Equal(0, await _host.Services.GetRequiredService<AccessKeyService>().SealPlaintextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_plain_secret_left_by_an_older_Berth_is_sealed_at_the_next_start()
    {
        using var data = new TempDirectory();
        await using (var older = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data.Path))
        {
            // Written straight to the store, as migrations 1 to 3 kept every secret.
            await older.Services.GetRequiredService<IMetadataStore>().AccessKeys.AddAsync(
                new AccessKey("AKIAREVOCATIONOLDER1", "older-plain-secret", Account, DateTimeOffset.UtcNow), CancellationToken.None);
        }

        await using var restarted = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data.Path);

        var stored = await restarted.Services.GetRequiredService<IMetadataStore>().AccessKeys.FindAsync("AKIAREVOCATIONOLDER1", CancellationToken.None);
        Assert.True(SecretSealer.IsSealed(stored!.SecretAccessKey));
        await restarted.Ecr().WithCredentials(new SigV4Credentials("AKIAREVOCATIONOLDER1", "older-plain-secret", Account)).OkAsync("DescribeRepositories");
    }
}
