using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Ecr.Model;

namespace Berth.Ecr;

/// <summary>
/// One validated and authorized ECR API call as operations see it: the caller, the operation, the resource it was
/// authorized on, its JSON body.
/// </summary>
public sealed class EcrRequest(EcrCaller caller, EcrOperation operation, RegistryResource resource, JsonElement body, CancellationToken cancellationToken)
{
    /// <summary>
    /// What the pipeline asked the authorizer (principal, action, resource, address, TLS, request tags), for an operation
    /// that must judge a further question with the same facts: SetRepositoryPolicy's lock-out check.
    /// </summary>
    public required AuthorizationRequest Asked { get; init; }

    public EcrCaller Caller { get; } = caller;

    public EcrOperation Operation { get; } = operation;

    /// <summary>The registry or repository the pipeline authorized this call on.</summary>
    public RegistryResource Resource { get; } = resource;

    /// <summary>The registry the request acts in: <c>registryId</c>'s (the caller's own when absent) in the endpoint's region.</summary>
    public RegistryScope Scope => Resource.Registry;

    public JsonElement Body { get; } = body;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Binds the body; the model validator has already checked every type and constraint.</summary>
    public T Bind<T>(JsonTypeInfo<T> typeInfo) => Body.Deserialize(typeInfo)!;
}
