using System.Text.Json;
using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Ecr;

/// <summary>Finds the resource an operation acts on in its validated body, as its descriptor says where to look.</summary>
public static class EcrResources
{
    /// <summary>
    /// The registry or repository the request names. <c>registryId</c> defaults to the caller's account and the
    /// region is always the endpoint's; only a malformed <c>resourceArn</c> fails, as a parameter error.
    /// </summary>
    public static bool TryResolve(EcrResourceSelector selector, EcrCaller caller, JsonElement body, out RegistryResource resource, out EcrError? error)
    {
        error = null;
        if (selector == EcrResourceSelector.ResourceArn)
        {
            if (!RepositoryArn.TryParse(Member(body, "resourceArn") ?? string.Empty, out var key))
            {
                resource = default;
                error = EcrErrors.From(DomainError.InvalidParameter("resourceArn", "Invalid ARN"));
                return false;
            }

            resource = RegistryResource.Of(key);
            return true;
        }

        var registry = new RegistryScope(Member(body, "registryId") ?? caller.AccountId, caller.Region);
        resource = selector switch
        {
            EcrResourceSelector.Repository => RegistryResource.Of(registry.Repository(Member(body, "repositoryName") ?? string.Empty)),
            EcrResourceSelector.Repositories => RegistryResource.AllRepositories(registry),
            _ => RegistryResource.Of(registry),
        };
        return true;
    }

    // Case-sensitive, and the last of repeated members, as the contracts bind them.
    private static string? Member(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
