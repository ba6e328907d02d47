using System.Diagnostics;
using Berth.Diagnostics;
using Berth.Diagnostics.Metrics;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Ecr;
using Berth.Hosting.Composition;
using Berth.Hosting.Health;
using Berth.Oci;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Berth.Hosting;

/// <summary>Builds and prepares the web application from Berth's configuration.</summary>
public static class BerthApp
{
    /// <summary>Where the Prometheus exposition is served (see <see cref="BerthOptions.Metrics"/>).</summary>
    public const string MetricsPath = "/metrics";

    /// <param name="configuration">From <see cref="BerthConfiguration.Load"/>: Berth's settings, and Logging if any.</param>
    public static WebApplicationBuilder CreateBuilder(IConfiguration configuration)
    {
        // The host would also read appsettings.json from the working directory and watch it for changes, and on Linux
        // that watch walks the whole directory tree below it (one inotify watch per folder): hundreds of milliseconds
        // when Berth starts in a large folder. Berth's own configuration already holds that file (read once, without a
        // watch, and added last so its values win), so the host's copy is never reloaded.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });

        // ASP.NET Core logs every request at Information, which costs more than serving a manifest; it stays
        // available by setting Logging:LogLevel:Microsoft.AspNetCore in appsettings.json or the environment.
        // Its hosting category logs nothing above Information, yet while any level of it is on, the host starts an
        // Activity (and a log scope) for every request; with it off, a request carries neither (seen with perf on
        // manifest GETs). Berth's own access log (--access-log) is what reports requests.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData =
            [
                new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
                new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None"),
            ],
        });
        builder.Configuration.AddConfiguration(configuration);

        // Logging and the meter provider are set up before the options are validated: a bad value here is reported
        // by that validation, which runs before anything listens.
        var early = new BerthOptions();
        BerthSettings.Bind(configuration, early);
        if (early.LogFormat == LogFormat.Json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }

        if (early.Metrics.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(BerthMetrics.MeterName)
                .AddView(instrument => SeriesLimits.For(instrument, early.MetricsMaxRepositories))
                // Every scrape sees the latest counts, so a test or a dashboard never reads an answer cached from before.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        }

        var rejected = new RejectedRequests();
        builder.Services.AddSingleton(rejected);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Blob uploads are large; the ECR endpoint bounds its own bodies.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, Listeners>();
        // Registered after Kestrel's own, so the socket transport takes this one (SocketBlockPool says why).
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new SocketBlockPool());
        builder.Services.AddBerth(configuration);
        builder.Services.AddBerthJobs();
        return builder;
    }

    /// <summary>
    /// Validates the options, prepares storage (data dir, migrations, first key) and maps the protocol endpoints.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; its one-line message names the option.</exception>
    /// <exception cref="DataDirectoryInUseException">Another server is serving the same data dir.</exception>
    /// <exception cref="ListenAddressUnavailableException">The listen address cannot be bound (the port is taken).</exception>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        var app = builder.Build();
        if (BerthServices.ValidateOptions(app.Services) is { } error)
        {
            await app.DisposeAsync();
            throw new OptionsValidationException(string.Empty, typeof(BerthOptions), [error]);
        }

        var options = app.Services.GetRequiredService<BerthOptions>();
        foreach (var address in options.ListenAddresses)
        {
            if (ListenProbe.Check(address.GetLeftPart(UriPartial.Authority)) is { } unavailable)
            {
                await app.DisposeAsync();
                throw new ListenAddressUnavailableException(unavailable);
            }
        }

        ServeLock? serveLock;
        try
        {
            DataDirectory.Ensure(options.DataDir);
            // Only an SQLite registry is one server's: nodes sharing a PostgreSQL database hear each other's changes.
            serveLock = ServesAlone(app.Services) ? ServeLock.Acquire(options.DataDir) : null;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        // Released when the server stops (and by the kernel if the process dies first).
        if (serveLock is not null)
        {
            app.Lifetime.ApplicationStopped.Register(serveLock.Dispose);
        }

        var listening = app.Services.GetRequiredService<RejectedRequests>().Subscribe(app.Services.GetRequiredService<DiagnosticListener>());
        app.Lifetime.ApplicationStopped.Register(listening.Dispose);
        await BerthServices.PrepareStorageAsync(app.Services, cancellationToken);
        var store = app.Services.GetRequiredService<IMetadataStore>();
        if (options.Auth == AuthMode.SigV4 && await store.AccessKeys.CountAsync(cancellationToken) == 0)
        {
            var key = AccessKeyFactory.Create(options.AccountId, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            // Of nodes starting together on an empty database, only the one whose key was stored shows one.
            if (await app.Services.GetRequiredService<AccessKeyService>().AddFirstAsync(key, cancellationToken))
            {
                app.Logger.FirstKeyCreated(key.AccessKeyId, key.AccountId);
                // Standard output in JSON mode carries log objects only, which collectors parse and keep: the secret
                // goes to the terminal's other stream.
                (options.LogFormat == LogFormat.Json ? Console.Error : Console.Out).WriteLine(AccessKeyFactory.ConfigureHint(key, options.Region));
            }
        }

        app.Services.GetRequiredService<ReadinessProbe>().MarkMigrated();
        if (options.Metrics.Address is not null)
        {
            // The metrics listener serves /metrics and nothing else; the registry's listeners do not serve it.
            app.Use((context, next) =>
            {
                if (Listeners.IsMetricsOnly(options, context) != context.Request.Path.Equals(MetricsPath, StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        if (options.Metrics.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
        }

        app.Use(static (context, next) =>
        {
            context.Response.Headers["x-amzn-RequestId"] = RequestIds.Next();
            return next(context);
        });
        app.MapEcr();
        app.MapOci();
        Berth.WebConsole.ConsoleEndpoint.MapConsole(app);
        app.MapHealth();
        var dataDir = Path.GetFullPath(options.DataDir);
        var addresses = string.Join(", ", options.ListenAddresses.Select(static address => address.GetLeftPart(UriPartial.Authority)));

        // Said once the port is bound: a server that cannot listen (the port is taken) never claims it is listening.
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.Listening(addresses, options.Auth == AuthMode.SigV4 ? "sigv4" : "none", dataDir, options.PublicUrl));
        return app;
    }

    /// <summary>
    /// Whether this server must be the only one on its data dir: with SQLite metadata its read cache and writer trust
    /// that no other server writes the same file.
    /// </summary>
    private static bool ServesAlone(IServiceProvider services) =>
        string.Equals(services.GetRequiredService<IOptions<StorageOptions>>().Value.Metadata.Type, SqliteMetadataBackend.Type, StringComparison.OrdinalIgnoreCase);
}
