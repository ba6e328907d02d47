using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Oci;

/// <summary>One authenticated and authorized /v2/ request: the route, the caller, and the repository it names in the caller's registry.</summary>
public sealed record OciRequest(HttpContext Http, OciRoute Route, OciCaller Caller)
{
    public RegistryScope Scope => Caller.Scope;

    public RepositoryKey Repository => Scope.Repository(Route.Name);

    public CancellationToken CancellationToken => Http.RequestAborted;

    public string RepositoryPath => "/v2/" + Route.Name;

    /// <summary>
    /// The first permission the pipeline authorized (every manifest and blob route asks one), so a domain step that
    /// needs a further permission (a pull-through import) asks it with the same facts.
    /// </summary>
    public AuthorizationRequest? Asked { get; init; }
}
