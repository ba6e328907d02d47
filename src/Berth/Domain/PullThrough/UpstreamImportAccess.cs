using Berth.Domain.Auth;
using Berth.Domain.Templates;

namespace Berth.Domain.PullThrough;

/// <summary>
/// ECR's second permission for a pull that imports: beyond the pull itself, bringing an image or layer in from the
/// upstream needs <c>ecr:BatchImportUpstreamImage</c> on the repository, and <c>ecr:CreateRepository</c> when the
/// repository does not exist yet. Asked with the facts (principal, address, TLS) of the pull the pipeline authorized,
/// as create-on-push asks for its creation.
/// </summary>
public sealed class UpstreamImportAccess(IMetadataStore store, CreationTemplateService templates, IAuthorizer authorizer)
{
    public const string ImportAction = "ecr:BatchImportUpstreamImage";
    private const string CreateRepositoryAction = "ecr:CreateRepository";

    /// <summary>Null when the caller of <paramref name="asked"/> may import into <paramref name="repository"/>; else IAM's refusal.</summary>
    public async Task<DomainError?> CheckAsync(AuthorizationRequest asked, RepositoryKey repository, CancellationToken cancellationToken)
    {
        var resource = RegistryResource.Of(repository);
        var import = asked with { Action = ImportAction, Resource = resource, RequestTags = null, TagKeys = null };
        if (await authorizer.AuthorizeAsync(import, cancellationToken) != AuthorizationDecision.Allowed)
        {
            return Denied(asked.Principal, ImportAction, resource);
        }

        if (await store.Repositories.GetAsync(repository, cancellationToken) is not null)
        {
            return null;
        }

        // The creation is judged as a CreateRepository carrying the PULL_THROUGH_CACHE template's tags would be.
        var template = await templates.FindAsync(repository, TemplateUses.PullThroughCache, cancellationToken);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in template?.ResourceTags ?? [])
        {
            tags[tag.Key] = tag.Value;
        }

        var create = import with
        {
            Action = CreateRepositoryAction,
            RequestTags = tags.Count == 0 ? null : tags,
            TagKeys = tags.Count == 0 ? null : [.. tags.Keys],
        };
        return await authorizer.AuthorizeAsync(create, cancellationToken) == AuthorizationDecision.Allowed
            ? null
            : Denied(asked.Principal, CreateRepositoryAction, resource);
    }

    private static DomainError Denied(Principal principal, string action, RegistryResource resource) => new(
        ErrorCode.AccessDenied,
        $"User: {principal.Arn} is not authorized to perform: {action} on resource: {resource.Arn} because no resource-based policy allows the {action} action");
}
