using Berth.Diagnostics;
using Berth.Domain.Auth;
using Berth.Domain.Images;
using Berth.Domain.Uploads;

namespace Berth.Domain.Signing;

/// <summary>
/// Does the queued signing jobs: signs each image with its profile's key and stores the signature as a referrer of
/// the image (its envelope and empty config as blobs of the repository, then the signature manifest), recording in the
/// job how it ended so DescribeImageSigningStatus tells the truth.
/// </summary>
public sealed class ImageSigner(
    IMetadataStore store,
    UploadService uploads,
    ManifestService manifests,
    SecretSealer sealer,
    TimeProvider time,
    ILogger<ImageSigner> logger)
{
    private const int Batch = 50;

    /// <summary>Does every job in progress, a batch at a time; returns how many ended (complete or failed).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var ended = 0;
        while (true)
        {
            var jobs = await store.Signing.ListInProgressAsync(Batch, cancellationToken);
            var endedNow = 0;
            foreach (var job in jobs)
            {
                if (await SignAsync(job, cancellationToken))
                {
                    endedNow++;
                }
            }

            ended += endedNow;
            // A batch that ended nothing (each job re-queued meanwhile) would come back the same: stop until the next wake.
            if (jobs.Count < Batch || endedNow == 0)
            {
                return ended;
            }
        }
    }

    /// <summary>Signs one image with one profile; true when the job's end was recorded.</summary>
    public async Task<bool> SignAsync(ImageSigningJob job, CancellationToken cancellationToken)
    {
        ImageSigningJob finished;
        try
        {
            finished = await TrySignAsync(job, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.ImageSigningError(job.Digest, job.Repository.Name, job.ProfileArn, ex);
            finished = Failed(job, "SigningError", "Berth could not store the signature; see the server's log");
        }

        if (finished.Status == ImageSigningStatus.Failed)
        {
            logger.ImageSigningFailed(job.Digest, job.Repository.Name, job.ProfileArn, finished.FailureCode!);
        }

        return await store.Signing.FinishAsync(finished, cancellationToken);
    }

    private async Task<ImageSigningJob> TrySignAsync(ImageSigningJob job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!SigningProfileArn.TryParse(job.ProfileArn, out var registry, out var name)
            || await store.Signing.GetProfileAsync(registry, name, cancellationToken) is not { } profile)
        {
            return Failed(job, "SigningProfileNotFound", $"The signing profile '{job.ProfileArn}' does not exist");
        }

        if (profile.NotAfter <= now)
        {
            return Failed(job, "SigningProfileExpired", $"The certificates of signing profile '{job.ProfileArn}' expired at {profile.NotAfter:O}");
        }

        using var key = SigningProfileIssuer.OpenKey(profile, sealer);
        if (key is null)
        {
            return Failed(job, "SigningKeyUnavailable", $"The key of signing profile '{job.ProfileArn}' does not open with this registry's secrets key");
        }

        if (await store.Images.GetManifestAsync(job.Repository, null, job.Digest, cancellationToken) is not { } image)
        {
            return Failed(job, "ImageNotFound", "The image was deleted before it was signed");
        }

        var envelope = NotarySignature.CreateEnvelope(
            new NotarySignature.Descriptor(image.MediaType, image.Digest, image.ManifestSize), key, profile.CertificateChain, now);
        var envelopeDigest = Digest.Compute(envelope);
        if ((await PutBlobAsync(job.Repository, NotarySignature.EmptyConfig, cancellationToken)
            ?? await PutBlobAsync(job.Repository, envelope, cancellationToken)) is { } blobError)
        {
            return Failed(job, "SigningError", blobError.Message);
        }

        var manifest = NotarySignature.CreateManifest(
            new NotarySignature.Descriptor(image.MediaType, image.Digest, image.ManifestSize),
            new NotarySignature.Descriptor(NotarySignature.EnvelopeMediaType, envelopeDigest, envelope.Length),
            profile.CertificateChain,
            now);
        var stored = await manifests.PutAsync(job.Repository, manifest, NotarySignature.ManifestMediaType, null, null, cancellationToken);
        if (!stored.IsSuccess)
        {
            return Failed(job, "SigningError", stored.Error!.Message);
        }

        logger.ImageSigned(job.Digest, job.Repository.Name, job.ProfileArn, stored.Value.Digest);
        return job with { Status = ImageSigningStatus.Complete };
    }

    private async Task<DomainError?> PutBlobAsync(RepositoryKey repository, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes.ToArray(), writable: false);
        var put = await uploads.PutAsync(repository, Digest.Compute(bytes.Span), content, bytes.Length, cancellationToken);
        return put.IsSuccess ? null : put.Error;
    }

    private static ImageSigningJob Failed(ImageSigningJob job, string code, string reason) =>
        job with { Status = ImageSigningStatus.Failed, FailureCode = code, FailureReason = reason };
}
