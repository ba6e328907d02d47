using Berth.Diagnostics;
using Berth.Domain;
using Berth.Ecr;
using Berth.Oci;
using Microsoft.Extensions.Configuration.Memory;

namespace Berth.Hosting;

/// <summary>Builds and prepares the web application for a set of validated options.</summary>
public static class BerthApp
{
    public static WebApplicationBuilder CreateBuilder(BerthOptions options, IConfiguration? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });

        // ASP.NET Core logs every request at Information, which costs more than serving a manifest; it stays
        // available by setting Logging:LogLevel:Microsoft.AspNetCore in appsettings.json or the environment.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Blob uploads are large; the ECR endpoint bounds its own bodies.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddBerth(options);
        return builder;
    }

    /// <summary>Prepares storage (data dir, migrations, first key) and maps the protocol endpoints.</summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        var app = builder.Build();
        var options = app.Services.GetRequiredService<BerthOptions>();
        DataDirectory.Ensure(options.DataDir);
        var store = app.Services.GetRequiredService<IMetadataStore>();
        await store.MigrateAsync(cancellationToken);
        if (options.Auth == AuthMode.SigV4 && await store.AccessKeys.CountAsync(cancellationToken) == 0)
        {
            var key = AccessKeyFactory.Create(options.AccountId, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            await store.AccessKeys.AddAsync(key, cancellationToken);
            app.Logger.FirstKeyCreated(key.AccessKeyId, key.AccountId);
            Console.Out.WriteLine(AccessKeyFactory.ConfigureHint(key, options.Region));
        }

        app.Use(static (context, next) =>
        {
            context.Response.Headers["x-amzn-RequestId"] = RequestIds.Next();
            return next(context);
        });
        app.MapEcr();
        app.MapOci();
        var dataDir = Path.GetFullPath(options.DataDir);
        app.Logger.Listening(options.Listen, options.Auth == AuthMode.SigV4 ? "sigv4" : "none", dataDir, options.PublicUrl);
        return app;
    }
}
