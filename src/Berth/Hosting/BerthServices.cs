using Berth.Domain;
using Berth.Domain.Repositories;
using Berth.Ecr;
using Berth.Ecr.Model;
using Berth.Ecr.Operations;
using Berth.Ecr.SigV4;
using Berth.Storage.Sqlite;

namespace Berth.Hosting;

/// <summary>The composition root: every service Berth runs with.</summary>
public static class BerthServices
{
    public static IServiceCollection AddBerth(this IServiceCollection services, BerthOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new SqliteDatabase(options.DatabasePath));
        services.AddSingleton<IMetadataStore, SqliteMetadataStore>();
        services.AddSingleton<IAccessKeyLookup, AccessKeyCache>();
        services.AddSingleton<RegistryAddress>();
        services.AddSingleton<RepositoryService>();

        services.AddSingleton(_ => EcrModel.Shared);
        services.AddSingleton(_ => RequestValidator.Shared);
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<EcrAuthenticator>();
        services.AddSingleton<RepositoryOperations>();
        services.AddSingleton<TaggingOperations>();
        services.AddSingleton<RegistryOperations>();
        services.AddSingleton<EcrDispatcher>();
        return services;
    }
}
