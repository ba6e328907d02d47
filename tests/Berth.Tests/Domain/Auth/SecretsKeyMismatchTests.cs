using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Domain.Auth;

/// <summary>A data dir whose secrets.key was lost or swapped refuses to start instead of refusing every signature.</summary>
public sealed class SecretsKeyMismatchTests
{
    [Fact]
    public async Task A_server_whose_secrets_key_does_not_open_the_stored_keys_refuses_to_start()
    {
        using var dataDir = new TempDirectory();
        await using (var first = await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path))
        {
            var key = new AccessKey("AKIASEALEDMISMATCH01", "sealed-secret", "123456789012", DateTimeOffset.UtcNow);
            Assert.True(await first.Services.GetRequiredService<AccessKeyService>().AddAsync(key, CancellationToken.None));
        }

        // The same data dir restarts fine with its own key file.
        await using (await BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path))
        {
        }

        File.Delete(Path.Combine(dataDir.Path, "secrets.key"));

        var error = await Assert.ThrowsAsync<SecretsKeyMismatchException>(() => BerthHost.StartAsync(AuthMode.SigV4, dataDir.Path));
        Assert.StartsWith("berth: none of the 2 stored access keys opens with this data dir's secrets.key", error.Message, StringComparison.Ordinal);
    }
}
