using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Storage.Caching;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Berth.Hosting.Composition;

/// <summary>The <c>Berth:Storage:Metadata:Sqlite</c> section.</summary>
public sealed class SqliteOptions
{
    public const string DefaultFileName = "berth.db";

    /// <summary>The database file; <c>&lt;data-dir&gt;/berth.db</c> when unset.</summary>
    public string? Path { get; set; }
}

/// <summary>The embedded metadata backend (type <c>sqlite</c>, the default): where it registers its ports.</summary>
public static class SqliteMetadataBackend
{
    public const string Type = "sqlite";

    public static StorageBackend Backend { get; } = new(Type, "Sqlite", Register);

    private static void Register(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<SqliteOptions>()
            .Bind(section)
            .PostConfigure<BerthOptions>((options, berth) =>
                options.Path = StoragePath.OrDefault(options.Path, Path.Combine(berth.DataDir, SqliteOptions.DefaultFileName)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SqliteOptions>>(new StoragePath<SqliteOptions>(section.Path + ":Path", options => options.Path));

        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<SqliteOptions>>().Value.Path!;
            DataDirectory.EnsureDatabaseFile(path);
            return new SqliteDatabase(path, SpaceReserve.DefaultBytes);
        });
        services.AddSingleton<SqliteMetadataStore>();
        // Pulls read through the cache; SQLite's commit generation tells it when the database has changed. Writes to
        // users, keys and tags also move the authorizer's decision cache on.
        services.AddSingleton<IMetadataStore>(provider => new CachingMetadataStore(
            provider.GetRequiredService<SqliteMetadataStore>(), provider.GetRequiredService<SqliteDatabase>(), CachingImageStore.DefaultMaxAge,
            provider.GetRequiredService<AccessChanges>()));
        services.AddSingleton<IMetadataPresence>(provider => new FilePresence(provider.GetRequiredService<IOptions<SqliteOptions>>().Value.Path!));
    }

    /// <summary>An SQLite registry exists where its file does.</summary>
    private sealed class FilePresence(string path) : IMetadataPresence
    {
        public string Location => Path.GetDirectoryName(path) is { Length: > 0 } directory ? directory : path;

        public bool Exists() => File.Exists(path);
    }
}
