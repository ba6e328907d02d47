using Berth.Domain.Signing;

namespace Berth.Domain;

/// <summary>
/// Managed signing: each registry's signing profiles and signing configuration, and the signing job of every pushed
/// image a rule matched. Each method is one transaction.
/// </summary>
public interface ISigningStore
{
    /// <summary>Stores a new profile; false when the registry already has one of that name.</summary>
    Task<bool> AddProfileAsync(SigningProfile profile, CancellationToken cancellationToken);

    Task<SigningProfile?> GetProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken);

    /// <summary>The registry's profiles by name (ordinal).</summary>
    Task<IReadOnlyList<SigningProfile>> ListProfilesAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>Deletes the profile; false when there was none of that name.</summary>
    Task<bool> DeleteProfileAsync(RegistryScope registry, string name, CancellationToken cancellationToken);

    /// <summary>Sets the registry's configuration (the domain's JSON text), replacing any before.</summary>
    Task PutConfigurationAsync(RegistryScope registry, string configuration, CancellationToken cancellationToken);

    /// <summary>The registry's configuration text, or null when it has none.</summary>
    Task<string?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>Removes the registry's configuration; returns the text removed, or null when there was none.</summary>
    Task<string?> DeleteConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the image for signing with each profile (in progress, queued at <paramref name="queuedAt"/>). A job that
    /// already exists is kept as it is, unless <paramref name="restart"/> (the image was stored anew), which queues it again.
    /// </summary>
    /// <returns>How many jobs are now in progress that were not before; 0 also when the repository is gone.</returns>
    Task<int> QueueAsync(RepositoryKey repository, Digest digest, IReadOnlyList<string> profileArns, bool restart, DateTimeOffset queuedAt, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> jobs still in progress, over every registry, oldest first.</summary>
    Task<IReadOnlyList<ImageSigningJob>> ListInProgressAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records how a job in progress ended (<paramref name="finished"/>: complete, or failed with a code and reason). Its
    /// <see cref="ImageSigningJob.QueuedAt"/> names the run: false when the job is no longer that run (queued again since,
    /// already finished, or its repository is gone).
    /// </summary>
    Task<bool> FinishAsync(ImageSigningJob finished, CancellationToken cancellationToken);

    /// <summary>The image's jobs, by profile ARN (ordinal).</summary>
    Task<IReadOnlyList<ImageSigningJob>> ListForImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);
}
