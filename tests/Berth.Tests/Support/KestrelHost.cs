using Berth.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Berth.Tests.Support;

/// <summary>
/// A Berth server in-process on a real Kestrel socket (127.0.0.1, a free port), for tests that need what the
/// in-process test server lacks: Kestrel's own HTTP parsing, and TCP back-pressure on a slow reader.
/// </summary>
public sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private KestrelHost(WebApplication app, TempDirectory data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<KestrelHost> StartAsync()
    {
        var data = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Berth:Auth"] = "none",
            ["Berth:DataDir"] = data.Path,
            ["Berth:AccountId"] = "123456789012",
            ["Berth:Listen"] = "http://127.0.0.1:0",
            ["Berth:PublicUrl"] = "http://registry.test:5000",
        }).Build();
        var app = await BerthApp.BuildAsync(BerthApp.CreateBuilder(configuration), CancellationToken.None);
        await app.StartAsync();
        return new KestrelHost(app, data, new Uri(app.Urls.Single()));
    }

    public EcrClient Ecr() => new(Client, "123456789012", "us-east-1");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
