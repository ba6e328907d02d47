namespace Berth.Domain.Auth;

/// <summary>
/// Decides whether a principal may perform an IAM action (<c>ecr:BatchGetImage</c>, …) on a resource. Each protocol
/// calls it once per request, at its edge, after the request is parsed and before any handler runs.
/// </summary>
public interface IAuthorizer
{
    ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}
