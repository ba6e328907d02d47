using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Storage.Caching;
using Berth.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Berth.Hosting.Composition;

/// <summary>The <c>Berth:Storage:Metadata:Postgres</c> section.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string (<c>Host=...;Database=...;Username=...;Password=...</c>); required.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>
/// The shared metadata backend (type <c>postgres</c>) for several nodes over one PostgreSQL database: where it
/// registers its ports.
/// </summary>
public static class PostgresMetadataBackend
{
    public const string Type = "postgres";

    public static StorageBackend Backend { get; } = new(Type, "Postgres", Register);

    private static void Register(IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<PostgresOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresOptions>>(new ConnectionStringCheck(section.Path + ":ConnectionString"));

        services.AddSingleton(provider => new PostgresDatabase(provider.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString!));
        services.AddSingleton(provider => new PostgresMetadataStore(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<TimeProvider>()));
        // Pulls read through the cache; NOTIFY from every node's writes tells it when the database has changed. Writes to
        // users, keys and tags through this node also move the authorizer's decision cache on (other nodes: within a second).
        services.AddSingleton<IMetadataStore>(provider => new CachingMetadataStore(
            provider.GetRequiredService<PostgresMetadataStore>(), provider.GetRequiredService<PostgresDatabase>().Signal, CachingImageStore.DefaultMaxAge,
            provider.GetRequiredService<AccessChanges>()));
        services.AddSingleton<IMetadataPresence>(provider => new DatabasePresence(
            provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<PostgresMetadataStore>()));
    }

    /// <summary>A PostgreSQL registry exists where some migration has been applied.</summary>
    private sealed class DatabasePresence(PostgresDatabase database, PostgresMetadataStore store) : IMetadataPresence
    {
        public string Location => "postgres://" + database.Location;

        public bool Exists() => store.ExistsAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Refuses a missing or unreadable connection string in one line that never repeats it (it may hold a password).</summary>
    private sealed class ConnectionStringCheck(string key) : IValidateOptions<PostgresOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgresOptions options)
        {
            const string Expected = "expected an Npgsql connection string such as Host=db.example;Database=berth;Username=berth;Password=...";
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                return ValidateOptionsResult.Fail($"berth: missing value for {key}: {Expected}");
            }

            try
            {
                if (new NpgsqlConnectionStringBuilder(options.ConnectionString).Host is { Length: > 0 })
                {
                    return ValidateOptionsResult.Success;
                }
            }
            catch (ArgumentException)
            {
                // Reported below, like a string without a host.
            }

            return ValidateOptionsResult.Fail($"berth: invalid value (not shown) for {key}: {Expected}");
        }
    }
}
