using Berth.Domain;
using Berth.Storage.FileSystem;
using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>The <c>Berth:Storage:Blobs:FileSystem</c> section.</summary>
public sealed class FileSystemBlobOptions
{
    /// <summary>The root holding <c>blobs/</c>, <c>uploads/</c> and <c>staging/</c>; the data dir when unset.</summary>
    public string? Path { get; set; }
}

/// <summary>The local-files blob backend (type <c>filesystem</c>, the default): where it registers its ports.</summary>
public static class FileSystemBlobBackend
{
    public const string Type = "filesystem";

    public static StorageBackend Backend { get; } = new(Type, "FileSystem", Register);

    private static void Register(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<FileSystemBlobOptions>()
            .Bind(section)
            .PostConfigure<BerthOptions>((options, berth) => options.Path = StoragePath.OrDefault(options.Path, berth.DataDir))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileSystemBlobOptions>>(
            new StoragePath<FileSystemBlobOptions>(section.Path + ":Path", options => options.Path));

        services.AddSingleton(provider => new FileSystemBlobStore(
            provider.GetRequiredService<IOptions<FileSystemBlobOptions>>().Value.Path!, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<IBlobUploadStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
    }
}
