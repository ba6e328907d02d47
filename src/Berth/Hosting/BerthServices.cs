using Berth.Background;
using Berth.Diagnostics.Audit;
using Berth.Diagnostics.Metrics;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Blobs;
using Berth.Domain.Collection;
using Berth.Domain.Events;
using Berth.Domain.Images;
using Berth.Domain.Lifecycle;
using Berth.Domain.Outbox;
using Berth.Domain.Policies;
using Berth.Domain.Referrers;
using Berth.Domain.Replication;
using Berth.Domain.Repositories;
using Berth.Domain.Scanning;
using Berth.Domain.Signing;
using Berth.Domain.Templates;
using Berth.Domain.Uploads;
using Berth.Ecr;
using Berth.Ecr.Model;
using Berth.Ecr.Operations;
using Berth.Ecr.SigV4;
using Berth.Hosting.Composition;
using Berth.Hosting.Health;
using Berth.Oci;
using Berth.Sts;
using Microsoft.Extensions.Options;


namespace Berth.Hosting;

/// <summary>
/// The composition root: every service Berth runs with, from one configuration. The server and every admin command
/// (keys create, lifecycle run, gc) build their services here.
/// </summary>
public static class BerthServices
{
    /// <summary>Adds everything but the background jobs; options are bound from <paramref name="configuration"/> (see <see cref="BerthConfiguration.Load"/>).</summary>
    public static IServiceCollection AddBerth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBerthOptions(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddBerthStorage(configuration);
        services.AddSingleton(provider => SecretsKey.Load(configuration, provider.GetRequiredService<BerthOptions>()));
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .PostConfigure<BerthOptions>((audit, berth) =>
                audit.Path = string.IsNullOrWhiteSpace(audit.Path) ? Path.Combine(berth.DataDir, AuditOptions.DefaultFileName) : audit.Path)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAccessKeyLookup, AccessKeyCache>();
        services.AddSingleton<AccessKeyService>();
        services.AddSingleton<RegistryTokenGuard>();
        services.AddSingleton<RegistryAddress>();
        services.AddSingleton<RepositoryService>();
        services.AddSingleton<BlobClaims>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton(provider => new LifecycleService(
            provider.GetRequiredService<IMetadataStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<LifecycleService>>(),
            provider.GetRequiredService<BerthOptions>().LifecyclePreviewLifetime,
            provider.GetService<EventPublisher>(),
            provider.GetService<OutboxSignal>()));
        services.AddSingleton<SigningKey>();
        services.AddSingleton(provider => new RegistryTokenService(
            provider.GetRequiredService<SigningKey>().Bytes, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new BlobDownloadSigner(
            provider.GetRequiredService<SigningKey>().Bytes, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ImageService>();
        services.AddSingleton<PullExclusionService>();
        services.AddSingleton<CreationTemplateService>();
        services.AddSingleton<CreateOnPush>();
        services.AddSingleton<AccessChanges>();
        services.AddSingleton<AuthorizationFacts>();
        services.AddSingleton<IAuthorizer, PolicyAuthorizer>();
        services.AddSingleton<ResourcePolicyCache>();
        services.AddSingleton<ResourcePolicyService>();
        services.AddSingleton<BlobService>();
        services.AddSingleton<ReferrerService>();
        services.AddBerthReplication(configuration);
        services.AddBerthEvents(configuration);
        services.AddBerthPullThrough();
        services.AddSingleton<SigningWake>();
        services.AddSingleton<SigningService>();
        services.AddSingleton<ImageSigner>();
        services.AddSingleton<ScanQueue>();
        services.AddSingleton<ImageScanner>();
        services.AddSingleton(provider => new ScanService(
            provider.GetRequiredService<IMetadataStore>(),
            provider.GetRequiredService<ImageService>,
            provider.GetRequiredService<ImageScanner>(),
            provider.GetRequiredService<ScanQueue>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ScanService>>(),
            provider.GetService<EventPublisher>(),
            provider.GetService<OutboxSignal>()));
        services.AddSingleton<VulnerabilityDatabaseImporter>();

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
        services.AddSingleton<PolicyOperations>();
        services.AddSingleton<PullExclusionOperations>();
        services.AddSingleton<TemplateOperations>();
        services.AddSingleton<SigningOperations>();
        services.AddSingleton<ScanningOperations>();
        services.AddSingleton<EcrOperations>();
        services.AddSingleton<EcrPipeline>();
        services.AddSingleton<StsHandler>();

        // The web console (WebConsole/): its built-in files and its sessions.
        services.AddSingleton<Berth.WebConsole.ConsoleAssets>();
        services.AddSingleton<Berth.WebConsole.ConsoleSessions>();

        services.AddSingleton<OciAuthenticator>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<TagHandlers>();
        services.AddSingleton<ReferrerHandlers>();
        services.AddSingleton<OciPipeline>();
        services.AddSingleton<RequestTelemetry>();
        services.AddSingleton<ReadinessProbe>();
        return services;
    }

    /// <summary>
    /// The outbox (its wake-up signal) and replication: the configuration service, which is also a push's outbox
    /// producer, the handler of its messages, and the remote destinations of <see cref="ReplicationOptions"/>.
    /// </summary>
    public static IServiceCollection AddBerthReplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OutboxSignal>();
        services.AddOptions<ReplicationOptions>().Bind(configuration.GetSection(ReplicationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicationOptions>, ReplicationOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ReplicationOptions>>().Value);
        services.AddSingleton<ReplicationService>();
        services.AddSingleton<IPushOutboxProducer>(provider => provider.GetRequiredService<ReplicationService>());
        services.AddSingleton<RemoteRegistryPusher>();
        services.AddSingleton<IOutboxHandler, ReplicationHandler>();
        return services;
    }

    /// <summary>
    /// Binds and validates <see cref="BerthOptions"/>; services take the bound instance itself, as a singleton.
    /// </summary>
    public static IServiceCollection AddBerthOptions(this IServiceCollection services, IConfiguration configuration)
    {
        var setup = new BerthOptionsSetup(configuration);
        services.AddOptions<BerthOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<BerthOptions>>(setup);
        services.AddSingleton<IValidateOptions<BerthOptions>>(setup);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<BerthOptions>>().Value);
        return services;
    }

    /// <summary>The server's background jobs; admin commands run without them.</summary>
    public static IServiceCollection AddBerthJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobLeases>();
        services.AddHostedService<UploadPurgeJob>();
        services.AddHostedService<GarbageCollectionJob>();
        services.AddHostedService<LifecycleJob>();
        services.AddHostedService<OutboxJob>();
        services.AddHostedService<SignOnPushJob>();
        services.AddHostedService<ScanJob>();
        return services;
    }

    /// <summary>
    /// Validates every option (Berth's, the storage choice, the chosen backends'), so a bad setting stops a command
    /// before it touches storage.
    /// </summary>
    /// <returns>Null, or the first failure: one line naming the option.</returns>
    public static string? ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.First();
        }
        catch (AggregateException e) when (e.InnerExceptions[0] is OptionsValidationException first)
        {
            return first.Failures.First();
        }
    }

    /// <summary>
    /// Makes the data dir (owner-only), brings the metadata store's schema up to date, seals any secret access key
    /// still stored in clear (keys from before migration 4) and loads the registry's signing key.
    /// </summary>
    /// <exception cref="SecretsKeyMismatchException">The secrets key is not the one the registry's secrets were sealed with.</exception>
    public static async Task PrepareStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var dataDir = services.GetRequiredService<BerthOptions>().DataDir;
        DataDirectory.Ensure(dataDir);
        var store = services.GetRequiredService<IMetadataStore>();
        await store.MigrateAsync(cancellationToken);
        // The access keys first: when they show the secrets key wrong, it must not go on to seal a new signing key.
        await services.GetRequiredService<AccessKeyService>().SealPlaintextAsync(cancellationToken);
        await services.GetRequiredService<SigningKey>().LoadAsync(store.RegistryKeys, services.GetRequiredService<SecretSealer>(), dataDir, cancellationToken);
    }
}
