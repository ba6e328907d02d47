using Berth.Domain.Auth;
using Berth.Hosting;
using Berth.Hosting.Composition;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cli;

/// <summary>
/// The services an admin command runs on: the server's own composition (<see cref="BerthServices.AddBerth"/>) from
/// the same configuration, without its web endpoints or background jobs. SQLite's locking makes this safe while a
/// server runs on the same storage.
/// </summary>
public static class AdminServices
{
    /// <summary>
    /// Composes the services from <paramref name="configuration"/> and prepares storage, or prints one line saying
    /// why not and returns null. With <paramref name="existingOnly"/> (gc, lifecycle run) it refuses to create a
    /// registry where none is.
    /// </summary>
    public static async Task<ServiceProvider?> OpenAsync(IConfiguration configuration, bool existingOnly, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        // Admin commands report on stdout themselves; the services' log events stay quiet, as before.
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddBerth(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        if (BerthServices.ValidateOptions(provider) is { } error)
        {
            await provider.DisposeAsync();
            Console.Error.WriteLine(error);
            return null;
        }

        if (existingOnly)
        {
            var presence = provider.GetRequiredService<IMetadataPresence>();
            if (!presence.Exists())
            {
                await provider.DisposeAsync();
                Console.Error.WriteLine($"berth: no Berth data in '{presence.Location}'");
                return null;
            }
        }

        try
        {
            await BerthServices.PrepareStorageAsync(provider, cancellationToken);
        }
        catch (SecretsKeyMismatchException e)
        {
            await provider.DisposeAsync();
            Console.Error.WriteLine(e.Message);
            return null;
        }

        return provider;
    }
}
