using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Lifecycle;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Lifecycle policies, their previews, and UpdateImageStorageClass (archive and restore).</summary>
public sealed class LifecycleOperations(LifecycleService lifecycle, ImageService images)
{
    private const int DefaultPreviewPageSize = 100;

    public async Task<EcrResult> PutLifecyclePolicyAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.LifecyclePolicyRequest);
        var scope = request.Scope;

        var stored = await lifecycle.PutPolicyAsync(scope.Repository(input.RepositoryName), input.LifecyclePolicyText!, request.CancellationToken);
        return stored.IsSuccess
            ? EcrResult.Ok(new PutLifecyclePolicyResponse(scope.AccountId, input.RepositoryName, stored.Value), EcrJsonContext.Default.PutLifecyclePolicyResponse)
            : stored.Error!;
    }

    public Task<EcrResult> GetLifecyclePolicyAsync(EcrRequest request) => PolicyAsync(request, delete: false);

    public Task<EcrResult> DeleteLifecyclePolicyAsync(EcrRequest request) => PolicyAsync(request, delete: true);

    public async Task<EcrResult> StartLifecyclePolicyPreviewAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.LifecyclePolicyRequest);
        var scope = request.Scope;

        var started = await lifecycle.StartPreviewAsync(scope.Repository(input.RepositoryName), input.LifecyclePolicyText, request.CancellationToken);
        return started.IsSuccess
            ? EcrResult.Ok(
                new StartLifecyclePolicyPreviewResponse(scope.AccountId, input.RepositoryName, started.Value, "IN_PROGRESS"),
                EcrJsonContext.Default.StartLifecyclePolicyPreviewResponse)
            : started.Error!;
    }

    public async Task<EcrResult> GetLifecyclePolicyPreviewAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.GetLifecyclePolicyPreviewRequest);
        var scope = request.Scope;

        if (input.ImageIds is not null && (input.NextToken is not null || input.MaxResults is not null))
        {
            return DomainError.InvalidParameter("imageIds", "nextToken and maxResults cannot be used together with imageIds");
        }

        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var repository = scope.Repository(input.RepositoryName);
        var found = await lifecycle.GetPreviewAsync(repository, request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var preview = found.Value;
        var status = lifecycle.StateOf(preview) switch
        {
            LifecyclePreviewState.InProgress => "IN_PROGRESS",
            LifecyclePreviewState.Failed => "FAILED",
            LifecyclePreviewState.Expired => "EXPIRED",
            _ => "COMPLETE",
        };
        if (status != "COMPLETE")
        {
            return Answer(scope, repository, preview, status, [], null, summary: false);
        }

        var tagStatus = ImageMapping.TagStatus(input.Filter?.TagStatus);
        if (input.ImageIds is { } ids)
        {
            var wanted = new HashSet<Digest>();
            foreach (var id in ids)
            {
                var (image, _) = await images.ResolveAsync(repository, ImageMapping.FromDto(id), request.CancellationToken);
                if (image is not null)
                {
                    wanted.Add(image.Image.Digest);
                }
            }

            var matched = await lifecycle.FindPreviewResultsAsync(repository, tagStatus, wanted, request.CancellationToken);
            return Answer(scope, repository, preview, status, matched, null, summary: true);
        }

        var results = await lifecycle.ListPreviewResultsAsync(repository, tagStatus, after, input.MaxResults ?? DefaultPreviewPageSize, request.CancellationToken);
        var next = results.NextKey is null ? null : PaginationToken.Encode(request.Operation.Name, results.NextKey);
        return Answer(scope, repository, preview, status, results.Items, next, summary: true);
    }

    public async Task<EcrResult> UpdateImageStorageClassAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.UpdateImageStorageClassRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        var found = await images.DescribeOneAsync(repository, ImageMapping.FromDto(input.ImageId), request.CancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var target = input.TargetStorageClass == "ARCHIVE" ? ImageStorageClass.Archive : ImageStorageClass.Standard;
        var image = found.Value;
        await lifecycle.SetStorageClassAsync(repository, image, target, request.CancellationToken);

        return EcrResult.Ok(
            new UpdateImageStorageClassResponse(
                scope.AccountId,
                repository.Name,
                new ImageIdentifierDto(image.Digest.ToString(), input.ImageId.ImageTag),
                target == ImageStorageClass.Archive ? "ARCHIVED" : "ACTIVE"),
            EcrJsonContext.Default.UpdateImageStorageClassResponse);
    }

    private async Task<EcrResult> PolicyAsync(EcrRequest request, bool delete)
    {
        var input = request.Bind(EcrJsonContext.Default.LifecyclePolicyRequest);
        var scope = request.Scope;

        var repository = scope.Repository(input.RepositoryName);
        var policy = delete
            ? await lifecycle.DeletePolicyAsync(repository, request.CancellationToken)
            : await lifecycle.GetPolicyAsync(repository, request.CancellationToken);
        return policy.IsSuccess
            ? EcrResult.Ok(
                new LifecyclePolicyResponse(scope.AccountId, repository.Name, policy.Value.Text, policy.Value.LastEvaluatedAt ?? DateTimeOffset.UnixEpoch),
                EcrJsonContext.Default.LifecyclePolicyResponse)
            : policy.Error!;
    }

    private static EcrResult Answer(
        RegistryScope scope,
        RepositoryKey repository,
        PreviewRecord preview,
        string status,
        IReadOnlyList<PreviewResultRecord> results,
        string? nextToken,
        bool summary)
    {
        var dtos = new LifecyclePreviewResultDto[results.Count];
        for (var i = 0; i < dtos.Length; i++)
        {
            var result = results[i];
            dtos[i] = new LifecyclePreviewResultDto(
                result.Tags.Count == 0 ? null : result.Tags,
                result.Digest.ToString(),
                result.PushedAt,
                result.Transition ? new LifecycleRuleActionDto("TRANSITION", "ARCHIVE") : new LifecycleRuleActionDto("EXPIRE", null),
                result.RulePriority,
                result.StorageClass == ImageStorageClass.Archive ? "ARCHIVE" : "STANDARD");
        }

        var summaryDto = summary
            ? new LifecyclePreviewSummaryDto(
                preview.ExpiringCount,
                preview.TransitioningCount > 0 ? [new TransitioningImageTotalCountDto("ARCHIVE", preview.TransitioningCount)] : null)
            : null;
        return EcrResult.Ok(
            new GetLifecyclePolicyPreviewResponse(scope.AccountId, repository.Name, preview.PolicyText, status, nextToken, dtos, summaryDto),
            EcrJsonContext.Default.GetLifecyclePolicyPreviewResponse);
    }
}
