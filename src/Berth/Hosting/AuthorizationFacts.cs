using Berth.Domain.Auth;

namespace Berth.Hosting;

/// <summary>The facts of an HTTP request that authorization conditions read, the same on both protocols.</summary>
public static class AuthorizationFacts
{
    /// <summary>
    /// The question for <paramref name="http"/>: its source is the connection's peer, never a forwarding header a
    /// client could write itself (<c>aws:SourceIp</c> behind a proxy is the proxy's address); TLS is the connection's.
    /// </summary>
    public static AuthorizationRequest Of(HttpContext http, Principal principal, string action, RegistryResource resource) =>
        new(principal, action, resource)
        {
            SourceIp = http.Connection.RemoteIpAddress,
            SecureTransport = http.Request.IsHttps,
        };
}
