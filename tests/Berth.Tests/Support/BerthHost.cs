using Berth.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Support;

/// <summary>A Berth server in-process over TestServer, with its own data dir.</summary>
public sealed class BerthHost : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;
    private readonly WebApplication _app;

    private BerthHost(WebApplication app, BerthOptions options, TempDirectory? ownedDirectory)
    {
        _app = app;
        Options = options;
        _ownedDirectory = ownedDirectory;
        Client = app.GetTestClient();
    }

    public BerthOptions Options { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BerthHost> StartAsync(
        AuthMode auth = AuthMode.None,
        string? dataDir = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var owned = dataDir is null ? new TempDirectory() : null;
        var options = new BerthOptions
        {
            Auth = auth,
            DataDir = dataDir ?? owned!.Path,
            AccountId = "123456789012",
            PublicUrl = "http://registry.test:5000",
        };
        var builder = BerthApp.CreateBuilder(options);
        builder.WebHost.UseTestServer();
        configureServices?.Invoke(builder.Services);
        var app = await BerthApp.BuildAsync(builder, CancellationToken.None);
        await app.StartAsync();
        return new BerthHost(app, options, owned);
    }

    public EcrClient Ecr(string accountId = "123456789012", string region = "us-east-1") => new(Client, accountId, region);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
