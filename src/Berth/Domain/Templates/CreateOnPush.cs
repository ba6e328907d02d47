using Berth.Domain.Auth;

namespace Berth.Domain.Templates;

/// <summary>
/// Create-on-push: a push that starts (a blob upload, a mount, a manifest PUT; ECR's InitiateLayerUpload and PutImage)
/// into a repository that does not exist creates it first from the registry's matching CREATE_ON_PUSH template,
/// when the caller may <c>ecr:CreateRepository</c> on it. Otherwise nothing happens and the push goes on to fail as
/// it always did. Each protocol's pipeline calls <see cref="PrepareAsync"/> right after authorizing the push, so every
/// path of both protocols shares this one rule.
/// </summary>
public sealed class CreateOnPush(IMetadataStore store, CreationTemplateService templates, IAuthorizer authorizer)
{
    private const string CreateRepositoryAction = "ecr:CreateRepository";

    /// <summary>Whether an authorized action starts a push into its repository (so the repository must exist for it).</summary>
    public static bool StartsPush(string action) => action is "ecr:InitiateLayerUpload" or "ecr:PutImage";

    /// <summary>
    /// Makes sure the repository of <paramref name="asked"/> (the push as it was authorized) exists when a template
    /// allows it; the caller's right to create it is judged with the same facts (address, TLS) and the template's
    /// tags as the request's tags, as a CreateRepository with those tags would be.
    /// </summary>
    public async Task PrepareAsync(AuthorizationRequest asked, CancellationToken cancellationToken)
    {
        if (!asked.Resource.IsSingleRepository)
        {
            return;
        }

        var repository = asked.Resource.Repository;
        if (await store.Repositories.GetAsync(repository, cancellationToken) is not null)
        {
            return;
        }

        var template = await templates.FindAsync(repository, TemplateUses.CreateOnPush, cancellationToken);
        if (template is null)
        {
            return;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in template.ResourceTags)
        {
            tags[tag.Key] = tag.Value;
        }

        var create = asked with
        {
            Action = CreateRepositoryAction,
            RequestTags = tags.Count == 0 ? null : tags,
            TagKeys = tags.Count == 0 ? null : [.. tags.Keys],
        };
        if (await authorizer.AuthorizeAsync(create, cancellationToken) != AuthorizationDecision.Allowed)
        {
            return;
        }

        // A refusal here (only a race with a delete) leaves the push to answer RepositoryNotFound as before.
        await templates.CreateFromAsync(repository, template, TemplateUses.CreateOnPush, cancellationToken);
    }
}
