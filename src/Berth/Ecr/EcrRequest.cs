using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Domain;
using Berth.Ecr.Model;

namespace Berth.Ecr;

/// <summary>One validated ECR API call as operations see it: the caller, the operation, its JSON body.</summary>
public sealed class EcrRequest(EcrCaller caller, EcrOperation operation, JsonElement body, CancellationToken cancellationToken)
{
    public EcrCaller Caller { get; } = caller;

    public EcrOperation Operation { get; } = operation;

    public JsonElement Body { get; } = body;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Binds the body; the model validator has already checked every type and constraint.</summary>
    public T Bind<T>(JsonTypeInfo<T> typeInfo) => Body.Deserialize(typeInfo)!;

    /// <summary>
    /// The registry a request names through registryId (the caller's own when absent). Another account's
    /// registry is reachable only through resource policies, which Berth does not evaluate yet.
    /// </summary>
    public bool TryResolveRegistry(string? registryId, string? repositoryName, out RegistryScope scope, out EcrError? error)
    {
        scope = new RegistryScope(registryId ?? Caller.AccountId, Caller.Region);
        if (scope.AccountId == Caller.AccountId)
        {
            error = null;
            return true;
        }

        error = AccessDenied(repositoryName is null ? $"arn:{RepositoryArn.Partition(scope.Region)}:ecr:{scope.Region}:{scope.AccountId}:registry" : RepositoryArn.Format(scope.Repository(repositoryName)));
        return false;
    }

    public EcrError AccessDenied(string resourceArn) => new(
        "AccessDeniedException",
        $"User: {Caller.PrincipalArn} is not authorized to perform: ecr:{Operation.Name} on resource: {resourceArn} because no resource-based policy allows the ecr:{Operation.Name} action");
}
