using Berth.Domain;

namespace Berth.Oci;

/// <summary>One authenticated /v2/ request: the route and the repository it names in the caller's registry.</summary>
public sealed record OciRequest(HttpContext Http, OciRoute Route, RegistryScope Scope)
{
    public RepositoryKey Repository => Scope.Repository(Route.Name);

    public CancellationToken CancellationToken => Http.RequestAborted;

    public string RepositoryPath => "/v2/" + Route.Name;
}
