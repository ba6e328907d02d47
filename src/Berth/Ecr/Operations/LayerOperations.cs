using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Blobs;
using Berth.Domain.PullThrough;
using Berth.Domain.Uploads;
using Berth.Ecr.Contracts;
using Berth.Hosting;

namespace Berth.Ecr.Operations;

/// <summary>ECR's layer-upload API, on the same upload machinery and blob store as /v2/.</summary>
public sealed class LayerOperations(UploadService uploads, BlobService blobs, BlobDownloadSigner signer, RegistryAddress address, PullThroughCache cache)
{
    public async Task<EcrResult> InitiateLayerUploadAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.InitiateLayerUploadRequest);
        var scope = request.Scope;

        var session = await uploads.StartAsync(scope.Repository(input.RepositoryName), request.CancellationToken);
        return session.IsSuccess
            ? EcrResult.Ok(new InitiateLayerUploadResponse(session.Value.Id.ToString(), LayerParts.PartSize), EcrJsonContext.Default.InitiateLayerUploadResponse)
            : session.Error!;
    }

    public async Task<EcrResult> UploadLayerPartAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.UploadLayerPartRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        if (!Guid.TryParse(input.UploadId, out var id))
        {
            return UploadService.UploadNotFound(Guid.Empty);
        }

        var appended = await uploads.AppendPartAsync(repository, id, input.PartFirstByte, input.PartLastByte, input.LayerPartBlob, request.CancellationToken);
        if (appended.IsSuccess)
        {
            return EcrResult.Ok(
                new UploadLayerPartResponse(scope.AccountId, repository.Name, input.UploadId, appended.Value - 1),
                EcrJsonContext.Default.UploadLayerPartResponse);
        }

        if (appended.Error!.Code != ErrorCode.UploadRangeInvalid)
        {
            return appended.Error;
        }

        // ECR tells the client where to resume: the last byte it holds.
        var session = await uploads.GetAsync(repository, id, request.CancellationToken);
        var lastValid = session.IsSuccess ? session.Value.Length - 1 : -1;
        return new EcrError(
            "InvalidLayerPartException",
            $"The layer part for upload ID '{input.UploadId}' must start at byte {lastValid + 1} and its range must match its length.")
        {
            Members =
            [
                new("registryId", scope.AccountId),
                new("repositoryName", repository.Name),
                new("uploadId", input.UploadId),
                new("lastValidByteReceived", Math.Max(0, lastValid)),
            ],
        };
    }

    public async Task<EcrResult> CompleteLayerUploadAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.CompleteLayerUploadRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        if (!Digest.TryParse(input.LayerDigests[0], out var digest) || digest.Algorithm != DigestAlgorithm.Sha256)
        {
            return DomainError.InvalidParameter("layerDigests", "a layer digest must be sha256:<64 lowercase hex>");
        }

        if (!Guid.TryParse(input.UploadId, out var id))
        {
            return UploadService.UploadNotFound(Guid.Empty);
        }

        var completed = await uploads.CompleteLayerAsync(repository, id, digest, request.CancellationToken);
        return completed.IsSuccess
            ? EcrResult.Ok(
                new CompleteLayerUploadResponse(scope.AccountId, repository.Name, input.UploadId, digest.ToString()),
                EcrJsonContext.Default.CompleteLayerUploadResponse)
            : completed.Error!;
    }

    public async Task<EcrResult> BatchCheckLayerAvailabilityAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.BatchCheckLayerAvailabilityRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        var texts = new List<string>(input.LayerDigests.Count);
        var digests = new List<Digest>(input.LayerDigests.Count);
        var failures = new List<LayerFailureDto>();
        foreach (var text in input.LayerDigests)
        {
            if (text.Length == 0)
            {
                failures.Add(new LayerFailureDto(text, "MissingLayerDigest", "The layer digest is empty"));
                continue;
            }

            if (!Digest.TryParse(text, out var digest))
            {
                failures.Add(new LayerFailureDto(text, "InvalidLayerDigest", "Invalid layer digest"));
                continue;
            }

            texts.Add(text);
            digests.Add(digest);
        }

        var found = await blobs.FindLayersAsync(repository, digests, request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var layers = new List<LayerDto>(digests.Count);
        for (var i = 0; i < digests.Count; i++)
        {
            layers.Add(found.Value[i] is { } blob
                ? new LayerDto(texts[i], "AVAILABLE", blob.Size, null)
                : new LayerDto(texts[i], "UNAVAILABLE", null, null));
        }

        return EcrResult.Ok(new BatchCheckLayerAvailabilityResponse(layers, failures), EcrJsonContext.Default.BatchCheckLayerAvailabilityResponse);
    }

    public async Task<EcrResult> GetDownloadUrlForLayerAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.GetDownloadUrlForLayerRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        if (!Digest.TryParse(input.LayerDigest, out var digest))
        {
            return DomainError.InvalidParameter("layerDigest", "Invalid layer digest");
        }

        var found = await blobs.FindDownloadableLayerAsync(repository, digest, request.CancellationToken);
        if (!found.IsSuccess && found.Error!.Code is ErrorCode.BlobNotFound or ErrorCode.RepositoryNotFound
            && await cache.PullBlobAsync(request.Asked, repository, digest, null, request.CancellationToken) is { } pulled)
        {
            // A pull-through cache repository brings the layer in from its upstream first.
            if (pulled.Error is not null)
            {
                return pulled.Error;
            }

            found = await blobs.FindDownloadableLayerAsync(repository, digest, request.CancellationToken);
        }

        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        // The blob backend's own URL where it has one (as ECR hands out an S3 URL); otherwise a URL on Berth signed for
        // this one blob and its caller, which needs no other credentials.
        var url = (await blobs.TryGetReadUrlAsync(found.Value, BlobDownloadSigner.Lifetime, request.CancellationToken))?.AbsoluteUri
            ?? $"{address.ProxyEndpoint(scope)}/v2/{repository.Name}/blobs/{digest}?{signer.SignQuery(repository, digest, request.Caller.Principal, request.Caller.AccessKeyId)}";
        return EcrResult.Ok(new GetDownloadUrlForLayerResponse(url, digest.ToString()), EcrJsonContext.Default.GetDownloadUrlForLayerResponse);
    }
}
