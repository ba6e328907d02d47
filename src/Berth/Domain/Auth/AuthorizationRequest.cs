using System.Net;

namespace Berth.Domain.Auth;

/// <summary>
/// One question a protocol's authorization point asks: may this principal perform this action on this resource,
/// with the facts of the request that conditions may read. The resource's tags are not here: the authorizer loads
/// them only when a policy in play reads them.
/// </summary>
public sealed record AuthorizationRequest(Principal Principal, string Action, RegistryResource Resource)
{
    /// <summary>The client's address (<c>aws:SourceIp</c>): the connection's peer; null when unknown.</summary>
    public IPAddress? SourceIp { get; init; }

    /// <summary><c>aws:SecureTransport</c>: whether the request reached Berth over TLS.</summary>
    public bool SecureTransport { get; init; }

    /// <summary>The tags the request sets (<c>aws:RequestTag/*</c>): TagResource's and CreateRepository's.</summary>
    public IReadOnlyDictionary<string, string>? RequestTags { get; init; }

    /// <summary>The tag keys the request names (<c>aws:TagKeys</c>); null when it names none.</summary>
    public IReadOnlyList<string>? TagKeys { get; init; }
}
