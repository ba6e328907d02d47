using System.Text;
using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.PullThrough;
using Berth.Domain.Referrers;
using Berth.Domain.Replication;
using Berth.Domain.Repositories;
using Berth.Domain.Scanning;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>ECR's image operations over the same images /v2/ serves.</summary>
public sealed class ImageOperations(
    ImageService images, ManifestService manifests, RepositoryService repositories, ReferrerService referrers, ReplicationService replication, PullThroughCache cache, ScanService scans)
{
    private const int DefaultPageSize = 100;
    private const int DefaultReferrerPageSize = 20;

    public async Task<EcrResult> ListImagesAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.ListImagesRequest);
        var scope = request.Scope;

        string? after = null;
        if (input.NextToken is { } token
            && (!PaginationToken.TryDecode(request.Operation.Name, token, out after) || !IsListKey(after)))
        {
            return PaginationToken.Invalid();
        }

        var page = await images.ListPageAsync(
            scope.Repository(input.RepositoryName),
            ImageMapping.TagStatus(input.Filter),
            ImageMapping.ImageStatus(input.Filter?.ImageStatus),
            after,
            input.MaxResults ?? DefaultPageSize,
            request.CancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var ids = new ImageIdentifierDto[page.Value.Items.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            var entry = page.Value.Items[i];
            ids[i] = new ImageIdentifierDto(entry.Digest.ToString(), entry.Tag);
        }

        return EcrResult.Ok(new ListImagesResponse(ids, NextToken(request, page.Value.NextKey)), EcrJsonContext.Default.ListImagesResponse);
    }

    public async Task<EcrResult> DescribeImagesAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribeImagesRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        if (input.ImageIds is { } ids)
        {
            if (input.NextToken is not null || input.MaxResults is not null)
            {
                return DomainError.InvalidParameter("imageIds", "nextToken and maxResults cannot be used together with imageIds");
            }

            var found = await images.DescribeAsync(repository, ImageMapping.FromDtos(ids), request.CancellationToken);
            return found.IsSuccess ? await DetailsAsync(repository, found.Value, null, request.CancellationToken) : found.Error!;
        }

        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var page = await images.DescribePageAsync(
            repository,
            ImageMapping.TagStatus(input.Filter),
            ImageMapping.ImageStatus(input.Filter?.ImageStatus),
            after,
            input.MaxResults ?? DefaultPageSize,
            request.CancellationToken);
        return page.IsSuccess ? await DetailsAsync(repository, page.Value.Items, NextToken(request, page.Value.NextKey), request.CancellationToken) : page.Error!;
    }

    public async Task<EcrResult> BatchGetImageAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.BatchGetImageRequest);
        var repository = request.Scope.Repository(input.RepositoryName);
        var ids = ImageMapping.FromDtos(input.ImageIds);
        var cancellationToken = request.CancellationToken;

        // A pull-through cache repository first brings in what it lacks, as ECR's pull does.
        foreach (var id in ids)
        {
            ManifestReference? reference = id.Digest is { } text ? (Digest.TryParse(text, out var digest) ? ManifestReference.ForDigest(digest) : null)
                : id.Tag is { } tag && ImageTags.IsValid(tag) ? ManifestReference.ForTag(tag) : null;
            if (reference is { } asked && await cache.EnsureImageAsync(request.Asked, repository, asked, cancellationToken) is { } upstreamError)
            {
                return upstreamError;
            }
        }

        // Each image is written as soon as it is read, so a request naming many large manifests never has them all
        // in memory at once (StreamedJsonBody sends the answer in parts once it is large).
        return EcrResult.Streamed(async body =>
        {
            var writer = body.Writer;
            writer.WriteStartObject();
            writer.WriteStartArray("images"u8);
            var result = await images.BatchGetAsync(
                repository,
                ids,
                input.AcceptedMediaTypes,
                request.Caller.Principal,
                async image =>
                {
                    ImageMapping.WriteImage(writer, repository, image.Image, image.Tag);
                    await body.FlushIfLargeAsync(cancellationToken);
                },
                cancellationToken);
            if (!result.IsSuccess)
            {
                return EcrErrors.From(result.Error!);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("failures"u8);
            JsonSerializer.Serialize(writer, Failures(result.Value), EcrJsonContext.Default.IReadOnlyListImageFailureDto);
            writer.WriteEndObject();
            return null;
        });
    }

    public async Task<EcrResult> BatchDeleteImageAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.BatchDeleteImageRequest);
        var scope = request.Scope;

        var result = await images.BatchDeleteAsync(scope.Repository(input.RepositoryName), ImageMapping.FromDtos(input.ImageIds), request.CancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        var (deleted, failures) = result.Value;
        var ids = new ImageIdentifierDto[deleted.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ImageMapping.ToDto(deleted[i]);
        }

        return EcrResult.Ok(new BatchDeleteImageResponse(ids, Failures(failures)), EcrJsonContext.Default.BatchDeleteImageResponse);
    }

    public async Task<EcrResult> PutImageAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PutImageRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        if (await repositories.GetAsync(repository, request.CancellationToken) is { IsSuccess: false } missing)
        {
            return missing.Error!;
        }

        var bytes = Encoding.UTF8.GetBytes(input.ImageManifest);
        // ECR gives one answer for unparsable JSON and for a manifest whose type is stated nowhere (neither its own
        // mediaType nor imageManifestMediaType), since it cannot tell which schema to read the manifest with.
        if (!DeclaresMediaType(bytes, out var validJson) && (!validJson || input.ImageManifestMediaType is null))
        {
            return DomainError.InvalidParameter("ImageManifest", "Invalid JSON syntax");
        }

        // The model bounds only the length; a tag outside the OCI alphabet could never be pulled through /v2/.
        if (input.ImageTag is { } tag && !ImageTags.IsValidAlphabet(tag))
        {
            return DomainError.InvalidParameter("imageTag", $"must satisfy regular expression '{ImageTags.AlphabetPattern}'");
        }

        Digest? expected = null;
        if (input.ImageDigest is { } digestText)
        {
            if (!Digest.TryParse(digestText, out var parsed))
            {
                return DomainError.InvalidParameter("imageDigest", "Invalid image digest");
            }

            expected = parsed;
        }

        var stored = await manifests.PutAsync(repository, bytes, input.ImageManifestMediaType, input.ImageTag, expected, request.CancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error!;
        }

        if (stored.Value.Status == PutImageStatus.Unchanged)
        {
            return new DomainError(
                ErrorCode.ImageAlreadyExists,
                $"Image with digest '{stored.Value.Digest}' and tag '{input.ImageTag ?? "null"}' already exists in the repository with name '{repository.Name}' in registry with id '{repository.AccountId}'");
        }

        return EcrResult.Ok(
            new PutImageResponse(new ImageDto(
                repository.AccountId,
                repository.Name,
                new ImageIdentifierDto(stored.Value.Digest.ToString(), input.ImageTag),
                input.ImageManifest,
                stored.Value.MediaType)),
            EcrJsonContext.Default.PutImageResponse);
    }

    public async Task<EcrResult> ListImageReferrersAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.ListImageReferrersRequest);
        var scope = request.Scope;

        if (!Digest.TryParse(input.SubjectId.ImageDigest, out var subject))
        {
            return DomainError.InvalidParameter("subjectId.imageDigest", "Invalid image digest");
        }

        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var repository = scope.Repository(input.RepositoryName);
        var filter = new ReferrerFilter(input.Filter?.ArtifactTypes, ImageMapping.ImageStatus(input.Filter?.ArtifactStatus));
        var page = await referrers.ListPageAsync(repository, subject, filter, after, input.MaxResults ?? DefaultReferrerPageSize, request.CancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var dtos = new List<ImageReferrerDto>(page.Value.Items.Count);
        foreach (var referrer in page.Value.Items)
        {
            dtos.Add(new ImageReferrerDto(
                referrer.Digest.ToString(),
                referrer.MediaType,
                referrer.ArtifactType,
                referrer.ManifestSize,
                ImageMapping.Annotations(referrer.AnnotationsJson),
                referrer.StorageClass == ImageStorageClass.Archive ? "ARCHIVED" : "ACTIVE"));
        }

        return EcrResult.Ok(new ListImageReferrersResponse(dtos, NextToken(request, page.Value.NextKey)), EcrJsonContext.Default.ListImageReferrersResponse);
    }

    /// <summary>Each destination the image was sent to since replication was configured: IN_PROGRESS, COMPLETE or FAILED with the reason.</summary>
    public async Task<EcrResult> DescribeImageReplicationStatusAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.DescribeImageReplicationStatusRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        var found = await images.DescribeOneAsync(repository, ImageMapping.FromDto(input.ImageId), request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var statuses = await replication.DescribeStatusAsync(repository, found.Value.Digest, request.CancellationToken);
        var dtos = new ImageReplicationStatusDto[statuses.Count];
        for (var i = 0; i < dtos.Length; i++)
        {
            var status = statuses[i];
            dtos[i] = new ImageReplicationStatusDto(
                status.Destination.Region, status.Destination.RegistryId, ReplicationStateNames.Of(status.State), status.FailureCode);
        }

        return EcrResult.Ok(
            new DescribeImageReplicationStatusResponse(
                repository.Name,
                new ImageIdentifierDto(found.Value.Digest.ToString(), input.ImageId.ImageTag),
                dtos),
            EcrJsonContext.Default.DescribeImageReplicationStatusResponse);
    }

    /// <summary>ListImages page keys are "t:&lt;tag&gt;" or "u:&lt;digest&gt;"; anything else is a forged token.</summary>
    private static bool IsListKey(string key) =>
        key.StartsWith("t:", StringComparison.Ordinal) || key.StartsWith("u:", StringComparison.Ordinal);

    private static bool DeclaresMediaType(byte[] manifest, out bool validJson)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            validJson = document.RootElement.ValueKind == JsonValueKind.Object;
            return validJson && document.RootElement.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            validJson = false;
            return false;
        }
    }

    private static string? NextToken(EcrRequest request, string? nextKey) =>
        nextKey is null ? null : PaginationToken.Encode(request.Operation.Name, nextKey);

    private static ImageFailureDto[] Failures(List<ImageFailure> failures)
    {
        var dtos = new ImageFailureDto[failures.Count];
        for (var i = 0; i < dtos.Length; i++)
        {
            dtos[i] = ImageMapping.ToDto(failures[i]);
        }

        return dtos;
    }

    private async Task<EcrResult> DetailsAsync(RepositoryKey repository, IReadOnlyList<ImageRecord> items, string? nextToken, CancellationToken cancellationToken)
    {
        var digests = new Digest[items.Count];
        for (var i = 0; i < digests.Length; i++)
        {
            digests[i] = items[i].Digest;
        }

        var scanned = await scans.SummariesAsync(repository, digests, cancellationToken);
        var details = new ImageDetailDto[items.Count];
        for (var i = 0; i < details.Length; i++)
        {
            details[i] = ImageMapping.ToDetail(repository, items[i]);
            if (scanned.TryGetValue(items[i].Digest, out var scan))
            {
                details[i] = details[i] with
                {
                    ImageScanStatus = ScanMapping.Status(scan),
                    ImageScanFindingsSummary = ScanMapping.Summary(scan),
                };
            }
        }

        return EcrResult.Ok(new DescribeImagesResponse(details, nextToken), EcrJsonContext.Default.DescribeImagesResponse);
    }
}
