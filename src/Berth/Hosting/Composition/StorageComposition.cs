using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>
/// Chooses the metadata and blob backends from <c>Berth:Storage:Metadata:Type</c> and <c>Berth:Storage:Blobs:Type</c>
/// and lets each register its ports. Every command (serve, keys, lifecycle run, gc) composes storage here, so none
/// can run on storage different from the server's.
/// </summary>
public static class StorageComposition
{
    /// <summary>The metadata backends, by type. A new backend adds itself here.</summary>
    public static IReadOnlyList<StorageBackend> MetadataBackends { get; } = [SqliteMetadataBackend.Backend, PostgresMetadataBackend.Backend];

    /// <summary>The blob backends, by type. A new backend adds itself here.</summary>
    public static IReadOnlyList<StorageBackend> BlobBackends { get; } = [FileSystemBlobBackend.Backend];

    public static IServiceCollection AddBerthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Configure(options => StorageOptions.Bind(configuration, options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        // The choice is made while composing, so only the chosen backends' services exist. An unknown type registers
        // nothing; StorageOptionsValidator reports it before anything asks for a store.
        var selected = new StorageOptions();
        StorageOptions.Bind(configuration, selected);
        Register(services, configuration, "Metadata", MetadataBackends, selected.Metadata.Type);
        Register(services, configuration, "Blobs", BlobBackends, selected.Blobs.Type);
        return services;
    }

    /// <summary>The backend of <paramref name="type"/>, matched without regard to case, or null.</summary>
    public static StorageBackend? Find(IReadOnlyList<StorageBackend> backends, string type)
    {
        foreach (var backend in backends)
        {
            if (string.Equals(backend.Type, type, StringComparison.OrdinalIgnoreCase))
            {
                return backend;
            }
        }

        return null;
    }

    private static void Register(IServiceCollection services, IConfiguration configuration, string kind, IReadOnlyList<StorageBackend> backends, string type)
    {
        if (Find(backends, type) is { } backend)
        {
            backend.Register(services, configuration.GetSection($"{StorageOptions.SectionName}:{kind}:{backend.Section}"));
        }
    }
}
