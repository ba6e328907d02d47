using Berth.Bench.Processes;

namespace Berth.Bench.Workloads;

/// <summary>
/// An in-process Kestrel that does no work: "/" answers "ok", "/big" streams a buffer from memory, a PUT to "/sink"
/// reads its body into one buffer and drops it.
/// </summary>
public sealed class TrivialKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TrivialKestrel(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<TrivialKestrel> StartAsync(long bigSize)
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // A blob-sized upload, as a registry accepts one (Kestrel's default stops at 30 MB).
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var chunk = new byte[1024 * 1024];
        Random.Shared.NextBytes(chunk);
        app.MapGet("/", () => "ok");
        app.MapGet("/big", async (HttpContext http) =>
        {
            http.Response.ContentLength = bigSize;
            http.Response.ContentType = "application/octet-stream";
            for (long sent = 0; sent < bigSize; sent += chunk.Length)
            {
                await http.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bigSize - sent)), http.RequestAborted);
            }
        });
        app.MapPut("/sink", async (HttpContext http) =>
        {
            // Copied out of Kestrel's pipe as a registry must copy it (into a file or an aligned buffer), then dropped.
            var buffer = new byte[1024 * 1024];
            long received = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                received += read;
            }

            return Results.Text(received.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await app.StartAsync();
        return new TrivialKestrel(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
