using Berth.Domain.Images;
using Berth.Ecr.Contracts;

namespace Berth.Ecr.Operations;

/// <summary>Register, deregister and list the principals whose pulls do not update lastRecordedPullTime.</summary>
public sealed class PullExclusionOperations(PullExclusionService exclusions)
{
    private const int DefaultPageSize = 100;

    public async Task<EcrResult> RegisterAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PullTimeUpdateExclusionRequest);
        var created = await exclusions.RegisterAsync(request.Scope, input.PrincipalArn, request.CancellationToken);
        return created.IsSuccess
            ? EcrResult.Ok(new RegisterPullTimeUpdateExclusionResponse(input.PrincipalArn, created.Value), EcrJsonContext.Default.RegisterPullTimeUpdateExclusionResponse)
            : created.Error!;
    }

    public async Task<EcrResult> DeregisterAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.PullTimeUpdateExclusionRequest);
        return await exclusions.DeregisterAsync(request.Scope, input.PrincipalArn, request.CancellationToken) is { } error
            ? error
            : EcrResult.Ok(new DeregisterPullTimeUpdateExclusionResponse(input.PrincipalArn), EcrJsonContext.Default.DeregisterPullTimeUpdateExclusionResponse);
    }

    public async Task<EcrResult> ListAsync(EcrRequest request)
    {
        var input = request.Bind(EcrJsonContext.Default.ListPullTimeUpdateExclusionsRequest);
        string? after = null;
        if (input.NextToken is { } token && !PaginationToken.TryDecode(request.Operation.Name, token, out after))
        {
            return PaginationToken.Invalid();
        }

        var page = await exclusions.ListAsync(request.Scope, after, input.MaxResults ?? DefaultPageSize, request.CancellationToken);
        var next = page.NextKey is null ? null : PaginationToken.Encode(request.Operation.Name, page.NextKey);
        return EcrResult.Ok(new ListPullTimeUpdateExclusionsResponse(page.Items, next), EcrJsonContext.Default.ListPullTimeUpdateExclusionsResponse);
    }
}
