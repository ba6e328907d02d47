using Berth.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Tests.Support;

/// <summary>A Berth server in-process over TestServer, with its own data dir.</summary>
public sealed class BerthHost : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;
    private readonly WebApplication _app;

    private BerthHost(WebApplication app, TempDirectory? ownedDirectory)
    {
        _app = app;
        Options = app.Services.GetRequiredService<BerthOptions>();
        _ownedDirectory = ownedDirectory;
        Client = app.GetTestClient();
    }

    public BerthOptions Options { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="auth">The --auth setting.</param>
    /// <param name="dataDir">The data dir; a fresh temporary one when null.</param>
    /// <param name="configureServices">Replaces services after Berth's composition (a clock, for instance).</param>
    /// <param name="settings">More configuration, by key (<c>Berth:LifecycleInterval</c>).</param>
    public static async Task<BerthHost> StartAsync(
        AuthMode auth = AuthMode.None,
        string? dataDir = null,
        Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var owned = dataDir is null ? new TempDirectory() : null;
        var configuration = new Dictionary<string, string?>
        {
            ["Berth:Auth"] = auth == AuthMode.SigV4 ? "sigv4" : "none",
            ["Berth:DataDir"] = dataDir ?? owned!.Path,
            ["Berth:AccountId"] = "123456789012",
            ["Berth:PublicUrl"] = "http://registry.test:5000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return await StartAsync(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build(), configureServices, owned);
    }

    /// <summary>A server on exactly <paramref name="configuration"/>, as `berth serve` would run on it.</summary>
    public static async Task<BerthHost> StartAsync(
        IConfiguration configuration, Action<IServiceCollection>? configureServices = null, TempDirectory? ownedDirectory = null)
    {
        var builder = BerthApp.CreateBuilder(configuration);
        builder.WebHost.UseTestServer();
        configureServices?.Invoke(builder.Services);
        var app = await BerthApp.BuildAsync(builder, CancellationToken.None);
        await app.StartAsync();
        return new BerthHost(app, ownedDirectory);
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
