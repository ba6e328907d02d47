using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Hosting;

/// <summary>The data dir and the files holding secrets are owner-only, even when they existed with wider modes.</summary>
public sealed class DataDirectoryTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Open = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task An_existing_open_data_dir_and_its_files_become_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "data");
        Directory.CreateDirectory(data, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await (await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data)).DisposeAsync();

        // Loosened by hand (or made by an older Berth): the next start tightens them again.
        File.SetUnixFileMode(data, OwnerOnlyDirectory | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in new[] { "berth.db", SigningKeyFile.SecretsFileName })
        {
            File.SetUnixFileMode(Path.Combine(data, file), Open);
        }

        await using (var second = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data))
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, "berth.db")));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, SigningKeyFile.SecretsFileName)));
            foreach (var wal in Directory.GetFiles(data, "berth.db-*"))
            {
                Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(wal));
            }
        }
    }

    [Fact]
    public async Task The_secrets_key_lives_where_SecretsKeyPath_says_owner_only_and_keeps_opening_the_keys_it_sealed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "data");
        var keyPath = Path.Combine(parent.Path, "vault", "berth-secrets.key");
        var settings = new Dictionary<string, string?> { ["Berth:SecretsKeyPath"] = keyPath };
        var key = new SigV4Credentials("AKIASECRETSPATHKEY01", "secrets-path-secret", "123456789012");
        await using (var first = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data, settings: settings))
        {
            await first.Services.GetRequiredService<AccessKeyService>().AddAsync(
                new AccessKey(key.AccessKeyId, key.SecretAccessKey, key.AccountId, DateTimeOffset.UtcNow), CancellationToken.None);
            await first.Ecr().WithCredentials(key).OkAsync("DescribeRepositories");
        }

        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(keyPath));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(keyPath)!));
        Assert.False(File.Exists(Path.Combine(data, SigningKeyFile.SecretsFileName)));

        // The key sealed under that file opens again on the next start from the same setting.
        await using var second = await BerthHost.StartAsync(AuthMode.SigV4, dataDir: data, settings: settings);
        await second.Ecr().WithCredentials(key).OkAsync("DescribeRepositories");
    }
}
