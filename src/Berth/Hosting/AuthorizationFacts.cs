using System.Net;
using Berth.Domain.Auth;

namespace Berth.Hosting;

/// <summary>
/// The facts of an HTTP request that authorization conditions read, the same on both protocols: who is calling from
/// where (<c>aws:SourceIp</c>) and over what (<c>aws:SecureTransport</c>). Forwarding headers are believed only from a
/// peer in <see cref="BerthOptions.TrustedProxies"/>: anyone else could write them to pass an address condition.
/// </summary>
public sealed class AuthorizationFacts(BerthOptions options)
{
    private const string ForwardedFor = "X-Forwarded-For";
    private const string ForwardedProto = "X-Forwarded-Proto";

    /// <summary>The question for <paramref name="http"/>, before any request tags.</summary>
    public AuthorizationRequest Of(HttpContext http, Principal principal, string action, RegistryResource resource)
    {
        var (sourceIp, trusted) = Client(http);
        return new AuthorizationRequest(principal, action, resource)
        {
            SourceIp = sourceIp,
            SecureTransport = http.Request.IsHttps
                || (trusted && Last(http.Request.Headers[ForwardedProto].ToString()).Equals("https", StringComparison.OrdinalIgnoreCase)),
        };
    }

    /// <summary>
    /// The caller's address as conditions and the audit trail see it: the peer, or the client a trusted proxy names.
    /// </summary>
    public IPAddress? SourceIpOf(HttpContext http) => Client(http).SourceIp;

    /// <summary>The caller's address, and whether the peer is a trusted proxy (whose forwarding headers count).</summary>
    private (IPAddress? SourceIp, bool Trusted) Client(HttpContext http)
    {
        var peer = Plain(http.Connection.RemoteIpAddress);
        return peer is not null && IsTrusted(peer) ? (Forwarded(http.Request, peer), true) : (peer, false);
    }

    /// <summary>
    /// The client behind a chain of trusted proxies: the rightmost <c>X-Forwarded-For</c> entry that is not one of
    /// them (entries to its left were written by whoever sent it, so they prove nothing). An entry that is not an
    /// address stops the walk at the last proxy that wrote a good one.
    /// </summary>
    private IPAddress Forwarded(HttpRequest request, IPAddress peer)
    {
        var chain = string.Join(',', request.Headers[ForwardedFor].ToArray()).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var client = peer;
        for (var i = chain.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(chain[i], out var hop))
            {
                break;
            }

            client = Plain(hop)!;
            if (!IsTrusted(client))
            {
                break;
            }
        }

        return client;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in options.TrustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static string Last(string list) => list.LastIndexOf(',') is var comma and >= 0 ? list[(comma + 1)..].Trim() : list.Trim();

    // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d; ranges are written in IPv4.
    private static IPAddress? Plain(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
