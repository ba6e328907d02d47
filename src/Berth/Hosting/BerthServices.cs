using Berth.Background;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Blobs;
using Berth.Domain.Collection;
using Berth.Domain.Images;
using Berth.Domain.Lifecycle;
using Berth.Domain.Referrers;
using Berth.Domain.Repositories;
using Berth.Domain.Uploads;
using Berth.Ecr;
using Berth.Ecr.Model;
using Berth.Ecr.Operations;
using Berth.Ecr.SigV4;
using Berth.Oci;
using Berth.Storage.FileSystem;
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
        services.AddSingleton(provider => new FileSystemBlobStore(options.DataDir, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<IBlobUploadStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<BlobClaims>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<ManifestService>();
        services.AddHostedService<UploadPurgeJob>();
        services.AddSingleton<GarbageCollector>();
        services.AddHostedService<GarbageCollectionJob>();
        services.AddSingleton(provider => new LifecycleService(
            provider.GetRequiredService<IMetadataStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<LifecycleService>>(),
            options.LifecyclePreviewLifetime));
        services.AddHostedService<LifecycleJob>();
        services.AddSingleton(_ => new SigningKey(SigningKeyFile.LoadOrCreate(options.DataDir)));
        services.AddSingleton(provider => new RegistryTokenService(
            provider.GetRequiredService<SigningKey>().Bytes, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new BlobDownloadSigner(
            provider.GetRequiredService<SigningKey>().Bytes, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ImageService>();
        services.AddSingleton<IAuthorizer, AccountAuthorizer>();
        services.AddSingleton<BlobService>();
        services.AddSingleton<ReferrerService>();

        services.AddSingleton(_ => EcrModel.Shared);
        services.AddSingleton(_ => RequestValidator.Shared);
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<EcrAuthenticator>();
        services.AddSingleton<RepositoryOperations>();
        services.AddSingleton<TaggingOperations>();
        services.AddSingleton<RegistryOperations>();
        services.AddSingleton<AuthorizationOperations>();
        services.AddSingleton<ImageOperations>();
        services.AddSingleton<LayerOperations>();
        services.AddSingleton<LifecycleOperations>();
        services.AddSingleton<EcrOperations>();
        services.AddSingleton<EcrPipeline>();

        services.AddSingleton<OciAuthenticator>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<TagHandlers>();
        services.AddSingleton<ReferrerHandlers>();
        services.AddSingleton<OciPipeline>();
        return services;
    }
}
