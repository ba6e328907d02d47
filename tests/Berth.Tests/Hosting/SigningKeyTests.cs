using System.Net;
using System.Security.Cryptography;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Hosting;

/// <summary>
/// The key that signs registry passwords lives in the metadata store, sealed with the secrets key; a data dir from
/// before brings its <c>registry-token.key</c> along, and the secrets key may come from configuration instead of a file.
/// </summary>
public sealed class SigningKeyTests
{
    private const string Account = "123456789012";
    private static readonly SigV4Credentials Credentials = new("AKIASIGNINGKEYTEST01", "signing-key-secret", Account);

    [Fact]
    public async Task A_data_dir_from_before_moves_its_registry_token_key_into_the_store_so_older_passwords_stay_good()
    {
        using var dataDir = new TempDirectory();
        var legacyKey = RandomNumberGenerator.GetBytes(32);
        var legacyFile = Path.Combine(dataDir.Path, SigningKeyFile.FileName);
        await File.WriteAllBytesAsync(legacyFile, legacyKey);
        // A password the server signed with that file before the upgrade.
        var (before, _) = new RegistryTokenService(legacyKey, TimeProvider.System).Issue(Principal.Root(Account, "aws"), "us-east-1", Credentials.AccessKeyId);

        await using (var upgraded = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path))
        {
            await AddKeyAsync(upgraded);
            await AssertPasswordWorksAsync(upgraded, before);
        }

        // The file is no longer what holds it: removed, the store still signs and checks with the same key.
        File.Delete(legacyFile);
        await using var restarted = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path);
        await AssertPasswordWorksAsync(restarted, before);
        var (after, _) = restarted.Services.GetRequiredService<RegistryTokenService>().Issue(Principal.Root(Account, "aws"), "us-east-1");
        Assert.NotNull(new RegistryTokenService(legacyKey, TimeProvider.System).Validate(after));

        // Sealed: the database alone does not give the key away.
        var stored = StoredSigningKey(dataDir.Path);
        Assert.StartsWith(SecretSealer.Prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(legacyKey), stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_data_dir_keeps_no_signing_key_file_and_its_passwords_survive_a_restart()
    {
        using var dataDir = new TempDirectory();
        string token;
        await using (var first = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path))
        {
            await AddKeyAsync(first);
            token = (await first.Ecr().WithCredentials(Credentials).OkAsync("GetAuthorizationToken"))
                .GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        }

        Assert.False(File.Exists(Path.Combine(dataDir.Path, SigningKeyFile.FileName)));
        await using var second = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path);
        using var response = await new OciClient(second.Client, "Basic " + token).GetAsync("/v2/");
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_secrets_key_may_come_from_configuration_and_then_no_key_file_is_made()
    {
        using var dataDir = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Berth:SecretsKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        await using (var first = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path, settings: settings))
        {
            await AddKeyAsync(first);
        }

        Assert.False(File.Exists(Path.Combine(dataDir.Path, SigningKeyFile.SecretsFileName)));
        await using (var second = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path, settings: settings))
        {
            await second.Ecr().WithCredentials(Credentials).OkAsync("DescribeRepositories");
        }

        // Without it, the data dir's own (new) secrets.key opens nothing: the server refuses to start.
        var error = await Assert.ThrowsAsync<SecretsKeyMismatchException>(() => BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path));
        Assert.StartsWith("berth: none of the 2 stored access keys opens with this data dir's secrets.key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_bad_configured_secrets_key_is_refused_in_one_line_that_does_not_repeat_it(string value)
    {
        var error = ConfigurationTests.Error(environment: new() { ["BERTH_SECRETS_KEY"] = value });

        Assert.Equal("berth: invalid value for Berth:SecretsKey (BERTH_SECRETS_KEY): expected the base64 of 32 bytes, as `openssl rand -base64 32` prints", error);
        Assert.DoesNotContain(value, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secrets_key_given_both_as_a_value_and_as_a_file_is_refused()
    {
        var error = ConfigurationTests.Error(
            commandLine: new() { ["Berth:SecretsKeyPath"] = "/run/secrets/berth" },
            environment: new() { ["BERTH_SECRETSKEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });

        Assert.Equal("berth: both Berth:SecretsKey (BERTH_SECRETS_KEY) and --secrets-key-path are set: give the secrets key one way only", error);
    }

    private static async Task AddKeyAsync(BerthHost host) =>
        Assert.True(await host.Services.GetRequiredService<AccessKeyService>().AddAsync(
            new AccessKey(Credentials.AccessKeyId, Credentials.SecretAccessKey, Account, DateTimeOffset.UtcNow), CancellationToken.None));

    private static async Task AssertPasswordWorksAsync(BerthHost host, string password)
    {
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("AWS:" + password));
        using var response = await new OciClient(host.Client, "Basic " + basic).GetAsync("/v2/");
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    private static string StoredSigningKey(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "berth.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM registry_keys WHERE name = 'registry-token'";
        return (string)command.ExecuteScalar()!;
    }
}
