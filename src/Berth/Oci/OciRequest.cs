using Berth.Domain;

namespace Berth.Oci;

/// <summary>One authenticated and authorized /v2/ request: the route, the caller, and the repository it names in the caller's registry.</summary>
public sealed record OciRequest(HttpContext Http, OciRoute Route, OciCaller Caller)
{
    public RegistryScope Scope => Caller.Scope;

    public RepositoryKey Repository => Scope.Repository(Route.Name);

    public CancellationToken CancellationToken => Http.RequestAborted;

    public string RepositoryPath => "/v2/" + Route.Name;
}
