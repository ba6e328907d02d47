using System.Text.Json;
using Berth.Diagnostics;
using Berth.Domain.Auth;

namespace Berth.Domain.Signing;

/// <summary>
/// ECR's managed signing on Berth's own profiles: the registry's signing configuration, the profiles its rules name,
/// queuing every matching push for the background signer, and what DescribeImageSigningStatus reports.
/// </summary>
public sealed class SigningService(IMetadataStore store, SecretSealer sealer, SigningWake wake, TimeProvider time, ILogger<SigningService> logger)
{
    /// <summary>How long a profile's certificates are valid unless its creator says otherwise.</summary>
    public const int DefaultValidityDays = 365;

    public async Task<Result<SigningProfile>> CreateProfileAsync(RegistryScope registry, string name, SigningKeyAlgorithm algorithm, int validityDays, CancellationToken cancellationToken)
    {
        if (!SigningProfileArn.IsValidName(name))
        {
            return DomainError.InvalidParameter("name", "A signing profile name is 2 to 64 letters, digits and underscores");
        }

        if (validityDays is < 1 or > 3650)
        {
            return DomainError.InvalidParameter("validityDays", "Member must be between 1 and 3650");
        }

        var profile = SigningProfileIssuer.Issue(registry, name, algorithm, validityDays, time.GetUtcNow(), sealer);
        return await store.Signing.AddProfileAsync(profile, cancellationToken)
            ? profile
            : new DomainError(ErrorCode.InvalidParameter, $"The signing profile '{name}' already exists in the registry with id '{registry.AccountId}'");
    }

    public Task<SigningProfile?> GetProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        store.Signing.GetProfileAsync(registry, name, cancellationToken);

    public Task<IReadOnlyList<SigningProfile>> ListProfilesAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        store.Signing.ListProfilesAsync(registry, cancellationToken);

    /// <summary>Deletes a profile; images queued for it afterwards fail with SigningProfileNotFound.</summary>
    public Task<bool> DeleteProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken) =>
        store.Signing.DeleteProfileAsync(registry, name, cancellationToken);

    /// <summary>Sets the registry's rules; every profile they name must be one of the registry's own.</summary>
    public async Task<Result<SigningConfiguration>> PutConfigurationAsync(RegistryScope registry, SigningConfiguration configuration, CancellationToken cancellationToken)
    {
        foreach (var rule in configuration.Rules)
        {
            if (!SigningProfileArn.TryParse(rule.SigningProfileArn, out var owner, out var name) || owner != registry
                || await store.Signing.GetProfileAsync(registry, name, cancellationToken) is null)
            {
                return DomainError.InvalidParameter(
                    "signingProfileArn",
                    $"The signing profile '{rule.SigningProfileArn}' does not exist in the registry with id '{registry.AccountId}'");
            }
        }

        await store.Signing.PutConfigurationAsync(registry, JsonSerializer.Serialize(configuration, SigningJson.Default.SigningConfiguration), cancellationToken);
        return configuration;
    }

    public async Task<Result<SigningConfiguration>> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        await store.Signing.GetConfigurationAsync(registry, cancellationToken) is { } text ? Parse(text) : NotFound(registry);

    /// <summary>Removes the rules; signatures already made stay, as ECR's do.</summary>
    public async Task<Result<SigningConfiguration>> DeleteConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        await store.Signing.DeleteConfigurationAsync(registry, cancellationToken) is { } text ? Parse(text) : NotFound(registry);

    /// <summary>
    /// Queues a stored push for signing with each profile whose rule matches its repository, and wakes the signer.
    /// Signatures themselves are never signed. A push that stored a new image queues its finished jobs again, since a
    /// re-pushed image has lost the signatures deleted with it.
    /// The push is already stored, so a failure here is logged rather than failing it: the image then has no status.
    /// </summary>
    public async Task QueueAsync(RepositoryKey repository, Digest digest, string? artifactType, bool newImage, CancellationToken cancellationToken)
    {
        if (artifactType == NotarySignature.ArtifactType)
        {
            return;
        }

        try
        {
            if (await store.Signing.GetConfigurationAsync(repository.Scope, cancellationToken) is not { } text)
            {
                return;
            }

            var profiles = Parse(text).ProfilesFor(repository.Name);
            if (profiles.Count > 0 && await store.Signing.QueueAsync(repository, digest, profiles, newImage, time.GetUtcNow(), cancellationToken) > 0)
            {
                wake.Wake();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.SigningQueueFailed(digest, repository.Name, ex);
        }
    }

    /// <summary>The image's signing jobs, one per profile that matched when it was pushed; empty when none did.</summary>
    public Task<IReadOnlyList<ImageSigningJob>> StatusesAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        store.Signing.ListForImageAsync(repository, digest, cancellationToken);

    private static SigningConfiguration Parse(string text) =>
        JsonSerializer.Deserialize(text, SigningJson.Default.SigningConfiguration) ?? new SigningConfiguration([]);

    private static DomainError NotFound(RegistryScope registry) => new(
        ErrorCode.SigningConfigurationNotFound,
        $"Signing configuration does not exist in the registry with id '{registry.AccountId}'");
}
